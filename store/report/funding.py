"""Read the funding column's words into needed (yes/no/conditional) and a normalised status."""

from __future__ import annotations

import re

from store.model import Funding, FundingPart

# Order matters: "not yet funded" must win over a bare "funded".
_STATUS_WORDS = (
    (
        "not_yet",
        re.compile(
            r"\b(?:not\s+(?:yet\s+)?funded|unfunded|no\s+funding\s+(?:yet|received))\b", re.I
        ),
    ),
    ("partly", re.compile(r"\b(?:partly|partially|part)\s*-?\s*funded\b", re.I)),
    ("fully", re.compile(r"\b(?:fully|entirely|completely)\s*-?\s*funded\b", re.I)),
)
_YES = re.compile(r"^\s*yes\b", re.I)
_NO = re.compile(r"^\s*(?:no|n/?a|none)\b", re.I)
# "Yes, if ...", "Yes, provided ...", "Yes, unless ...": funding is needed only on a condition.
_CONDITION = re.compile(
    r"^\s*yes\s*,?\s*(?:if|provided|unless|only if|subject to|depending)\b", re.I
)


def _statuses_in(line: str) -> list[FundingPart]:
    """Each status a line names, with the words around it (split at ';')."""
    parts = []
    for clause in re.split(r";\s*", line):
        for status, pattern in _STATUS_WORDS:
            if pattern.search(clause):
                parts.append(FundingPart(status, clause.strip().rstrip(".")))
                break
    return parts


def read_funding(lines: list[str] | tuple[str, ...]) -> Funding:
    """Normalise a funding cell.

    The first line usually answers "needed?" (Yes/No); the lines after it give
    the status. Lines naming different statuses make the row "mixed"; the
    original words are kept in the parts either way.
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
    if not needed:
        # A cell that gives a status without saying Yes still means funding is needed.
        needed = "yes" if parts else "no"
    if needed == "no" and not parts:
        return Funding("no", needed_words, "none", ())
    statuses = {p.status for p in parts}
    if not statuses:
        status = "not_yet"  # needed, and nothing says any money came
    elif len(statuses) == 1:
        status = statuses.pop()
    else:
        status = "mixed"
    return Funding(needed, needed_words, status, tuple(parts))
