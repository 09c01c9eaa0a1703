"""Read the funding column's words into needed (yes/no/conditional) and a normalised status."""

from __future__ import annotations

import re

from store.model import Funding, FundingPart

_MONEY = r"(?:funded|financed|covered|secured|received|available|provided|pledged|transferred)"
_FUNDS = r"(?:funding|funds|financing|money|resources|contributions?)"
# A plain negation says "not yet" whatever else the clause says ("fully funded: but not
# funded at all"); "not yet fully funded" is no negation of money, so it reads as partly.
_NEGATION = re.compile(
    rf"\b(?:(?:not|nothing)\s+(?:yet\s+)?(?:been\s+)?{_MONEY}"
    rf"|un(?:funded|financed|covered)|no\s+{_FUNDS}\s+(?:yet|(?:has\s+been\s+)?{_MONEY})"
    rf"|{_FUNDS}\s+(?:has\s+|have\s+)?not\s+(?:yet\s+)?(?:been\s+)?{_MONEY})\b",
    re.I,
)
# Otherwise the status named first wins: "Partly funded, however transfer ... is pending".
_STATUS_WORDS = (
    (
        "not_yet",
        re.compile(
            rf"\b(?:{_FUNDS}\s+(?:is\s+|are\s+)?(?:still\s+)?(?:pending|awaited|being\s+sought)"
            r"|awaiting|seeking|to\s+be\s+sought|pending)\b",
            re.I,
        ),
    ),
    (
        "partly",
        re.compile(
            rf"\b(?:not\s+(?:yet\s+)?(?:fully|entirely|completely)\s*-?\s*{_MONEY}"
            rf"|(?:partly|partially|part)\s*-?\s*{_MONEY}"
            rf"|{_FUNDS}\s+(?:partly|partially)\s+{_MONEY}|partial\s+{_FUNDS})\b",
            re.I,
        ),
    ),
    (
        "fully",
        re.compile(
            rf"\b(?:(?:fully|entirely|completely)\s*-?\s*{_MONEY}|{_MONEY}\s+in\s+full"
            rf"|{_FUNDS}\s+(?:(?:has|have)\s+been\s+|is\s+|are\s+)?{_MONEY}"
            rf"|^\W*{_MONEY}\b)",
            re.I,
        ),
    ),
)
# "Not yet fully funded, nothing received": partly says some money came; this says none did.
_NOTHING_CAME = re.compile(
    rf"\b(?:nothing|no\s+{_FUNDS})\s+(?:has\s+been\s+)?(?:yet\s+)?received\b", re.I
)
_YES = re.compile(r"^\s*yes\b", re.I)
_NO = re.compile(r"^\s*(?:no|n/?a|none)\b", re.I)
# "Yes, if ...", "Yes, provided ...", "Yes, unless ...": funding is needed only on a condition.
_CONDITION = re.compile(
    r"^\s*yes\s*,?\s*(?:if|provided|unless|only if|subject to|depending)\b", re.I
)


def _status_of(clause: str) -> str | None:
    """The status a clause names first: "Partly funded, however ... pending" is partly."""
    if _NEGATION.search(clause):
        return "not_yet"
    hits = []
    for rank, (status, pattern) in enumerate(_STATUS_WORDS):
        m = pattern.search(clause)
        if m:
            hits.append((m.start(), rank, status))
    return min(hits)[2] if hits else None


def _statuses_in(line: str) -> list[FundingPart]:
    """Each status a line names, with the words around it (split at ';')."""
    parts = []
    nothing_came = bool(_NOTHING_CAME.search(line))
    for clause in re.split(r";\s*", line):
        status = _status_of(clause)
        if status:
            if status == "partly" and nothing_came:
                status = "not_yet"
            parts.append(FundingPart(status, clause.strip().rstrip(".")))
    return parts


def read_funding(lines: list[str] | tuple[str, ...]) -> Funding:
    """Normalise a funding cell.

    The first line usually answers "needed?" (Yes/No); the lines after it give
    the status. Lines naming different statuses make the row "mixed"; words that
    name no status are kept as an "unclear" part rather than guessed at.
    """
    needed, needed_words = "", ""
    parts: list[FundingPart] = []
    for line in lines:
        found = _statuses_in(line)
        if found:
            parts.extend(found)
        elif not needed and _CONDITION.match(line):
            needed, needed_words = "conditional", line
        elif not needed and _YES.match(line):
            needed, needed_words = "yes", line
        elif not needed and _NO.match(line):
            needed, needed_words = "no", line
        elif line.strip(" .;:-"):
            parts.append(FundingPart("unclear", line.strip().rstrip(".")))
    known = [p for p in parts if p.status != "unclear"]
    if not needed:
        # A cell that gives a status without saying Yes still means funding is needed.
        needed = "yes" if known else "no" if not parts else "yes"
    if needed == "no" and not known:
        return Funding("no", needed_words, "unclear" if parts else "none", tuple(parts))
    statuses = {p.status for p in known}
    if not parts:
        status = "not_yet"  # "Yes" and nothing more: needed, and nothing says any money came
    elif not statuses:
        status = "unclear"
    elif len(statuses) == 1:
        status = statuses.pop()
    else:
        status = "mixed"
    return Funding(needed, needed_words, status, tuple(parts))


def unclear_words(funding: Funding) -> list[str]:
    """The funding words no status was read from, for the import report."""
    return [p.words for p in funding.parts if p.status == "unclear"]
