"""Find the dated commitments in an activity's text and turn them into deadlines.

dateutil's fuzzy parser finds at most one date per string and misreads
ranges ("on 1-3 October 2012" becomes 2001-10-03), so date phrases are found
here first and each phrase is then handed to dateutil with an explicit default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from dateutil import parser as dateparser
from dateutil.relativedelta import relativedelta

from store.model import Activity, Deadline

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]?\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
# Not part of a symbol such as SC-5/27, BC-10/29 or UNEP/CHW.10/INF/48.
_START = r"(?<![\w/.\-])"
_END = r"(?![\w/])"

# Each kind of date phrase; at a position the earliest, then longest, match wins.
_PHRASES = {
    # Event names are acronyms ("COP", "OEWG-8"), so this one is case-sensitive.
    "relative": re.compile(
        rf"{_START}(?P<n>\d{{1,4}})\s+(?i:(?P<unit>days?|weeks?|months?)\s+"
        r"(?P<dir>before|after|prior\s+to)\s+(?:the\s+)?)"
        r"(?P<event>(?i:(?:\d+(?:st|nd|rd|th)|first|second|third|next)\s+)?"
        rf"[A-Z][A-Za-z]*[A-Z][\w-]*(?:\s+(?:in\s+|of\s+)?(?:{_YEAR}|\d{{1,2}}))?)"
    ),
    "between": re.compile(
        rf"{_START}(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>{_YEAR}))?"
        rf"\s*(?:-|–|—|to|and|until)\s*(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})\s+(?P<y2>{_YEAR}){_END}",
        re.I,
    ),
    "dmy": re.compile(rf"{_START}(?P<d>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR}){_END}", re.I),
    "mdy": re.compile(rf"{_START}(?P<m>{_MONTH})\s+(?P<d>{_DAY}),\s*(?P<y>{_YEAR}){_END}", re.I),
    "iso": re.compile(
        rf"{_START}(?P<y>{_YEAR})-(?P<mo>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01]){_END}"
    ),
    "end_of": re.compile(
        rf"{_START}(?:the\s+)?end\s+of\s+(?:(?P<m>{_MONTH})\s+)?(?P<y>{_YEAR}){_END}", re.I
    ),
    "my": re.compile(rf"{_START}(?P<m>{_MONTH})\s+(?P<y>{_YEAR}){_END}", re.I),
}


_DIGIT = re.compile(r"\d")


def _matches(text: str) -> list[tuple[str, re.Match]]:
    if not _DIGIT.search(text):
        return []  # every date phrase has a number in it; most report lines have none
    found = [(kind, m) for kind, rx in _PHRASES.items() for m in rx.finditer(text)]
    found.sort(key=lambda km: (km[1].start(), -km[1].end()))
    kept: list[tuple[str, re.Match]] = []
    for kind, m in found:
        if not kept or m.start() >= kept[-1][1].end():
            kept.append((kind, m))
    return kept


# Words that, just before a month-only date, make it the month's last day.
_UPTO = re.compile(r"\b(?:by|until|till|to|through|before|no\s+later\s+than|up\s+to)\s*$", re.I)
_LEAD_WORDS = re.compile(
    r"\s*\b(?:by|until|till|through|before|on|in|at|during|from|between|as\s+of|no\s+later\s+than"
    r"|up\s+to|scheduled|planned)\s*$",
    re.I,
)
# A sentence that reports something already done: "was held on", "were invited by".
_DONE_AUX = re.compile(r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\b", re.I)
# ... or a short subject followed by a simple past verb: "The secretariat provided support".
_DONE_SIMPLE = re.compile(
    r"^\W*(?:[\w/-]+\s+){1,3}?(?:\w+ed|held|sent|made|took|began|met|hosted)\s+[a-z]", re.I
)
# A status line added from Slack opens with when and by whom: "27 November 2026 (jane.doe): ".
_STAMP = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4} \([^()]*\): ")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")
_ABBREV_END = re.compile(r"\b(?:e\.g|i\.e|etc|No|Nos|para|paras|Mr|Ms|Dr|vs)\.$")
_PRONOUN = re.compile(r"^(?:this|these|that|it|they)\b", re.I)
_SUBJECT_TO = re.compile(r"^(?:the\s+)?[\w/-]+(?:\s+[\w/-]+)?\s+(?:to|will|shall|should)\s+", re.I)


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    text: str
    on: date | None
    last: date | None = None
    event: str | None = None
    offset_days: int = 0


def split_sentences(text: str) -> list[str]:
    """Split a line into sentences without breaking at "e.g." and the like."""
    pieces, current = [], ""
    for part in _SENTENCE_SPLIT.split(text):
        current = f"{current} {part}" if current else part
        if not _ABBREV_END.search(current):
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _parse(text: str, default: date) -> date:
    cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", text)
    return dateparser.parse(
        cleaned, default=datetime(default.year, default.month, default.day)
    ).date()


def _month_year(m: str, y: str, *, last: bool) -> date:
    first = _parse(f"1 {m} {y}", date(int(y), 1, 1))
    return first + relativedelta(day=31) if last else first


def event_name(phrase: str) -> str:
    """A stable name for an event phrase: "the 1st COP in 2013" -> "COP-2013"."""
    words = re.sub(
        r"^(?:the\s+)?(?:\d+(?:st|nd|rd|th)|first|second|third|next)\s+",
        "",
        phrase.strip(),
        flags=re.I,
    )
    m = re.match(r"(?P<name>[A-Z][\w-]*)(?:\s+(?:in\s+|of\s+)?(?P<num>\d+))?$", words)
    if m and m.group("num") and not m.group("name").endswith(m.group("num")):
        return f"{m.group('name')}-{m.group('num')}"
    return re.sub(r"\s+", "-", words)


def find_dates(text: str) -> Iterator[DatePhrase]:
    """Every date phrase in `text`, in order, with the date it stands for."""
    for kind, m in _matches(text):
        g = m.groupdict()
        before = text[: m.start()]
        upto = bool(_UPTO.search(before))
        try:
            if kind == "relative":
                n = int(g["n"])
                unit = g["unit"].lower().rstrip("s")
                days = n * 7 if unit == "week" else n * 30 if unit == "month" else n
                sign = 1 if g["dir"].lower() == "after" else -1
                yield DatePhrase(
                    m.start(), m.end(), m.group(0), None, None, event_name(g["event"]), sign * days
                )
                continue
            if kind == "between":
                y2 = int(g["y2"])
                last = _parse(f"{g['d2']} {g['m2']} {y2}", date(y2, 1, 1))
                first = _parse(f"{g['d1']} {g['m1'] or g['m2']} {g['y1'] or y2}", date(y2, 1, 1))
                on = last if upto else first
                yield DatePhrase(m.start(), m.end(), m.group(0), on, last if on != last else None)
                continue
            if kind in ("dmy", "mdy"):
                on = _parse(f"{g['d']} {g['m']} {g['y']}", date(int(g["y"]), 1, 1))
            elif kind == "iso":
                on = date(int(g["y"]), int(g["mo"]), int(g["d"]))
            elif kind == "end_of":
                on = _month_year(g["m"], g["y"], last=True) if g["m"] else date(int(g["y"]), 12, 31)
            else:  # a month alone: its last day after "by/until", else its first
                on = _month_year(g["m"], g["y"], last=upto)
        except (ValueError, OverflowError, dateparser.ParserError):
            continue  # "31 February 2013" is no date; leave it as text
        yield DatePhrase(m.start(), m.end(), m.group(0), on)


def _trim(clause: str) -> str:
    clause = _LEAD_WORDS.sub("", clause)
    return re.sub(r"^[\s,;:.]*(?:and|or|then|to)?\s+", "", " " + clause).strip(" ,;:.")


def _what_is_due(sentence: str, start: int, prev_end: int, previous: str) -> str:
    clause = _trim(sentence[prev_end:start])
    if previous and _PRONOUN.match(clause):
        # "This should take place at the end of 2013": what "this" is was said just before.
        clause = _trim(previous.rsplit(", ", 1)[-1])
    if len(clause.split()) > 3:
        clause = _SUBJECT_TO.sub("", clause, count=1)
    if len(clause.split()) < 2:
        # Too little before the date: describe it by the whole sentence instead.
        clause = sentence.strip().rstrip(".")
    return clause[:1].upper() + clause[1:]


def _records_done(sentence: str, clause: str, before: str) -> bool:
    if not before.strip() and _STAMP.match(sentence):
        return True  # the date a line was written is when it was reported, not a deadline
    if re.search(r"\b(?:until|till|through)\s*$", before, re.I):
        return False  # "defined until June 2013": a period still running
    return bool(_DONE_AUX.search(clause) or _DONE_SIMPLE.match(sentence))


def _lines(activity: Activity) -> Iterable[str]:
    for row in activity.rows:
        for col in ("requests", "status", "next_steps", "implications"):
            yield from row.column(col)


def extract_deadlines(activity: Activity) -> list[Deadline]:
    """The activity's deadlines and milestones, numbered "<code>-1", "<code>-2", ... in order.

    The same date mentioned twice for one activity (a request and its next step,
    say) is one commitment; the first mention names it.
    """
    found: list[Deadline] = []
    seen: set[tuple] = set()
    for line in _lines(activity):
        previous = ""
        for sentence in split_sentences(line):
            prev_end = 0
            for p in find_dates(sentence):
                key = (p.on, p.event, p.offset_days)
                clause = sentence[prev_end : p.start]
                before = sentence[: p.start]
                due = _what_is_due(sentence, p.start, prev_end, previous)
                prev_end = p.end
                if key in seen:
                    continue
                seen.add(key)
                kind = "milestone" if _records_done(sentence, clause, before) else "deadline"
                found.append(
                    Deadline(
                        id=f"{activity.code}-{len(found) + 1}",
                        activity=activity.code,
                        due=due,
                        sentence=sentence,
                        kind=kind,
                        on=p.on,
                        end=p.last,
                        event=p.event,
                        offset_days=p.offset_days,
                        phrase=p.text,
                        done=kind == "milestone",
                    )
                )
            previous = sentence
    return found
