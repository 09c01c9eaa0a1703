"""Find the date phrases in a sentence: days, ranges, months, quarters, numeric and event-relative.

dateutil's fuzzy parser finds at most one date per string and misreads
ranges ("on 1-3 October 2012" becomes 2001-10-03), so date phrases are found
here first and each phrase is then handed to dateutil with an explicit default.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from dateutil import parser as dateparser
from dateutil.relativedelta import relativedelta

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]?\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
# Not part of a symbol such as SC-5/27, BC-10/29 or UNEP/CHW.10/INF/48.
_START = r"(?<![\w/.\-])"
_END = r"(?![\w/])"
# An event people name by an acronym and number: "COP-7", "OEWG-8", "the 1st COP in 2013".
_EVENT = (
    r"(?:(?i:(?:\d+(?:st|nd|rd|th)|first|second|third|next)\s+)?"
    rf"[A-Z][A-Za-z]*[A-Z][\w-]*(?:\s+(?:in\s+|of\s+)?(?:{_YEAR}|\d{{1,2}}))?)"
)
_CONVENTION = r"(?:\s+of\s+the\s+(?P<conv>[A-Z][a-z]+)\s+Convention)?"
_NOT_EVENT_WORD = r"(?!(?:in|of|at|on|to|and|or|for|with|by|from|the)\b)"
_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_QUARTER |= {"fourth": 4, "4th": 4, "last": 4, "final": 4}
_HALF = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "last": 2}

# Each kind of date phrase; at a position the earliest, then longest, match wins.
_PHRASES = {
    # Event names are acronyms ("COP", "OEWG-8"), so these are case-sensitive.
    "relative": re.compile(
        rf"{_START}(?P<n>\d{{1,4}})\s+(?i:(?P<unit>days?|weeks?|months?)\s+"
        r"(?P<dir>before|after|prior\s+to)\s+(?:the\s+)?)"
        rf"(?P<event>{_EVENT}){_CONVENTION}"
    ),
    "within": re.compile(
        rf"(?i:\bwithin\s+(?P<n>\d{{1,4}})\s+(?P<unit>days?|weeks?|months?)\s+"
        r"(?:of|after|following)\s+(?:the\s+)?)"
        rf"(?:(?P<event>{_EVENT}){_CONVENTION}"
        rf"|(?P<thing>[a-z]+(?:\s+{_NOT_EVENT_WORD}[a-z]+)?))"
    ),
    "at_event": re.compile(
        r"(?i:\b(?P<dir>before|prior\s+to|ahead\s+of|in\s+time\s+for)\s+(?:the\s+)?)"
        rf"(?P<event>[A-Z]{{2,}}[A-Za-z]*-\d{{1,3}}){_CONVENTION}{_END}"
    ),
    "between": re.compile(
        rf"{_START}(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>{_YEAR}))?"
        rf"\s*(?P<conn>-|–|—|to|and|until)\s*(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})\s+(?P<y2>{_YEAR}){_END}",
        re.I,
    ),
    "dmy": re.compile(rf"{_START}(?P<d>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR}){_END}", re.I),
    "mdy": re.compile(rf"{_START}(?P<m>{_MONTH})\s+(?P<d>{_DAY}),\s*(?P<y>{_YEAR}){_END}", re.I),
    "iso": re.compile(
        rf"{_START}(?P<y>{_YEAR})-(?P<mo>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01]){_END}"
    ),
    # The UN writes dates day first: 15/01/2013, 15.01.2013.
    "numeric": re.compile(
        rf"{_START}(?P<d>\d{{1,2}})(?P<sep>[/.])(?P<mo>\d{{1,2}})(?P=sep)(?P<y>{_YEAR}){_END}"
    ),
    "end_of": re.compile(
        rf"{_START}(?:the\s+)?end\s+of\s+(?:(?P<m>{_MONTH})\s+)?(?P<y>{_YEAR}){_END}", re.I
    ),
    "quarter": re.compile(
        r"(?i:(?:the\s+)?(?:(?P<q>first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+quarter"
        rf"(?:\s+of)?|q(?P<qn>[1-4]))\s+(?P<y>{_YEAR})){_END}"
    ),
    "half": re.compile(
        r"(?i:(?:the\s+)?(?:(?P<h>first|1st|second|2nd|last)\s+half(?:\s+of)?|h(?P<hn>[12]))"
        rf"\s+(?P<y>{_YEAR})){_END}"
    ),
    # "early 2014" alone is too vague to remind of; early/late need a month.
    "part_of": re.compile(
        rf"(?i:\b(?:(?P<part>mid)(?:-|\s+)(?:(?P<m>{_MONTH})\s+)?"
        rf"|(?P<edge>early|late)(?:-|\s+)(?P<em>{_MONTH})\s+)(?P<y>{_YEAR})){_END}"
    ),
    "my": re.compile(rf"{_START}(?P<m>{_MONTH})\s+(?P<y>{_YEAR}){_END}", re.I),
}
_DIGIT = re.compile(r"\d")
# Words that, just before a month-only date, make it the month's last day.
_UPTO = re.compile(r"\b(?:by|until|till|to|through|before|no\s+later\s+than|up\s+to)\s*$", re.I)
# "postponed to D" names the new date, not the end of a period.
_MOVED_TO = re.compile(
    r"\b(?:postponed|moved|rescheduled|deferred|changed|shifted|brought\s+forward|delayed)"
    r"\s+(?:to|until|till|for)\s*$",
    re.I,
)
_BETWEEN = re.compile(r"\bbetween\s*$", re.I)


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    text: str
    on: date | None
    last: date | None = None
    event: str | None = None
    offset_days: int = 0


def _matches(text: str) -> list[tuple[str, re.Match]]:
    found = [(kind, m) for kind, rx in _PHRASES.items() for m in rx.finditer(text)]
    found.sort(key=lambda km: (km[1].start(), -km[1].end()))
    kept: list[tuple[str, re.Match]] = []
    for kind, m in found:
        if not kept or m.start() >= kept[-1][1].end():
            kept.append((kind, m))
    return kept


def _parse(text: str, default: date) -> date:
    cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", text)
    return dateparser.parse(
        cleaned, default=datetime(default.year, default.month, default.day)
    ).date()


def _month(m: str, y: str) -> date:
    return _parse(f"1 {m} {y}", date(int(y), 1, 1))


def _month_end(first: date) -> date:
    return first + relativedelta(day=31)


def event_name(phrase: str, convention: str | None = None) -> str:
    """A stable name for an event phrase: "the 1st COP in 2013" -> "COP-2013"."""
    words = re.sub(
        r"^(?:the\s+)?(?:\d+(?:st|nd|rd|th)|first|second|third|next)\s+",
        "",
        phrase.strip(),
        flags=re.I,
    )
    m = re.match(r"(?P<name>[A-Z][\w-]*)(?:\s+(?:in\s+|of\s+)?(?P<num>\d+))?$", words)
    if m and m.group("num") and not m.group("name").endswith(m.group("num")):
        name = f"{m.group('name')}-{m.group('num')}"
    else:
        name = re.sub(r"\s+", "-", words)
    # "COP-7 of the Stockholm Convention" is the Stockholm COP: SC-COP-7, as decisions name it.
    return f"{convention[0].upper()}C-{name}" if convention else name


def _days(n: str, unit: str) -> int:
    unit = unit.lower().rstrip("s")
    return int(n) * (7 if unit == "week" else 30 if unit == "month" else 1)


def _span(kind: str, g: dict, upto: bool) -> tuple[date, date | None]:
    """First and last day of a period phrase; `upto` ("by ...") makes the last day the date."""
    y = int(g["y"])
    if kind == "quarter":
        q = int(g["qn"]) if g["qn"] else _QUARTER[g["q"].lower()]
        first = date(y, 3 * q - 2, 1)
        last = _month_end(date(y, 3 * q, 1))
    elif kind == "half":
        h = int(g["hn"]) if g["hn"] else _HALF[g["h"].lower()]
        first, last = date(y, 6 * h - 5, 1), _month_end(date(y, 6 * h, 1))
    elif g["part"]:  # mid-2013 is the year's middle; mid-March 2013 the month's
        if not g["m"]:
            return date(y, 6, 30), None
        return _month(g["m"], g["y"]).replace(day=15), None
    else:  # early March: its first ten days; late March: from the 21st
        month = _month(g["em"], g["y"])
        if g["edge"].lower() == "early":
            first, last = month, month.replace(day=10)
        else:
            first, last = month.replace(day=21), _month_end(month)
    return (last, None) if upto else (first, last)


def find_dates(text: str, notes: list[str] | None = None) -> Iterator[DatePhrase]:
    """Every date phrase in `text`, in order, with the date it stands for.

    What looks like a date but is none ("31 September 2013") or could be read two
    ways ("1/2/2013") is said in `notes`, when given.
    """
    if not _DIGIT.search(text):
        return  # every date phrase has a number in it; most report lines have none
    for kind, m in _matches(text):
        g = m.groupdict()
        before = text[: m.start()]
        upto = bool(_UPTO.search(before)) and not _MOVED_TO.search(before)
        try:
            yield from _phrases(kind, m, g, before, upto, notes)
        except (ValueError, OverflowError, dateparser.ParserError):
            if notes is not None:
                notes.append(f'"{m.group(0)}" is not a date (no such day); it was left as text')


def _phrases(
    kind: str, m: re.Match, g: dict, before: str, upto: bool, notes: list[str] | None
) -> Iterator[DatePhrase]:
    if kind in ("relative", "within", "at_event"):
        if kind == "at_event":
            offset = -1  # "before COP-7" (not "approved by OEWG-8"): the day before it opens
        else:
            sign = 1 if kind == "within" or g["dir"].lower() == "after" else -1
            offset = sign * _days(g["n"], g["unit"])
        if g.get("thing"):
            # "within 60 days of the meeting": which meeting only the activity knows.
            name = "@" + re.sub(r"\s+", "-", g["thing"].lower())
        else:
            name = event_name(g["event"], g.get("conv"))
        yield DatePhrase(m.start(), m.end(), m.group(0), None, None, name, offset)
        return
    if kind == "between":
        y2 = int(g["y2"])
        end_day = _parse(f"{g['d2']} {g['m2']} {y2}", date(y2, 1, 1))
        start_day = _parse(f"{g['d1']} {g['m1'] or g['m2']} {g['y1'] or y2}", date(y2, 1, 1))
        if g["conn"].lower() == "and" and not _BETWEEN.search(before):
            # "by 31 January 2013 and 30 June 2013": two dates, not a period.
            end1 = max(m.end(k) for k in ("d1", "m1", "y1") if g[k])
            yield DatePhrase(m.start(), end1, m.string[m.start() : end1], start_day)
            yield DatePhrase(m.start("d2"), m.end(), m.string[m.start("d2") : m.end()], end_day)
            return
        at = end_day if upto else start_day
        yield DatePhrase(m.start(), m.end(), m.group(0), at, end_day if at != end_day else None)
        return
    last: date | None = None
    if kind in ("dmy", "mdy"):
        on = _parse(f"{g['d']} {g['m']} {g['y']}", date(int(g["y"]), 1, 1))
        if int(re.sub(r"\D", "", g["d"])) != on.day:
            raise ValueError("dateutil moved an impossible day")
    elif kind == "iso":
        on = date(int(g["y"]), int(g["mo"]), int(g["d"]))
    elif kind == "numeric":
        d, mo, y = int(g["d"]), int(g["mo"]), int(g["y"])
        on = date(y, mo, d)
        if notes is not None and d <= 12 and mo <= 12 and d != mo:
            notes.append(
                f'"{m.group(0)}" could be {on:%-d %B %Y} or {date(y, d, mo):%-d %B %Y}; '
                f"read day first ({on:%-d %B %Y}); write the month in words to be sure"
            )
    elif kind == "end_of":
        on = _month_end(_month(g["m"], g["y"])) if g["m"] else date(int(g["y"]), 12, 31)
    elif kind in ("quarter", "half", "part_of"):
        on, last = _span(kind, g, upto)
    else:  # a month alone: its last day after "by/until", else its first
        first = _month(g["m"], g["y"])
        on = _month_end(first) if upto else first
    yield DatePhrase(m.start(), m.end(), m.group(0), on, last)
