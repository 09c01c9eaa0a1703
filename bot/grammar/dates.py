"""Dates as people write them relative to today: tomorrow, next friday, in 2 weeks, end of May."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SHORT_DAYS = {d[:3]: i for i, d in enumerate(WEEKDAYS)} | {d: i for i, d in enumerate(WEEKDAYS)}
MONTHS = tuple(m.lower() for m in calendar.month_name[1:])
_MONTH = {m: i + 1 for i, m in enumerate(MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(MONTHS)}
_IN = re.compile(r"in (\d{1,4}|a|an|one|two|three|four) (day|week|month|year)s?")
_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_END = re.compile(r"(?:the )?end of (?:the )?(next |this )?(month|year|week|[a-z]+)(?: (\d{4}))?")


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def relative(phrase: str, today: date) -> date | None:
    """The date `phrase` means counted from `today`, None when it is not a relative form."""
    p = " ".join(phrase.casefold().replace(",", " ").split())
    if p == "today":
        return today
    if p == "tomorrow":
        return today + timedelta(days=1)
    if p in ("next week", "in a week"):
        return today + timedelta(days=7)
    if m := _IN.fullmatch(p):
        n = int(m[1]) if m[1].isdigit() else _WORDS[m[1]]
        unit = m[2]
        if unit == "day":
            return today + timedelta(days=n)
        if unit == "week":
            return today + timedelta(weeks=n)
        return _add_months(today, n * (12 if unit == "year" else 1))
    words = p.split()
    if (
        len(words) in (1, 2)
        and words[-1] in _SHORT_DAYS
        and words[0] in ("next", "this", words[-1])
    ):
        ahead = (_SHORT_DAYS[words[-1]] - today.weekday()) % 7 or 7
        # "next friday" said on a Monday is this week's Friday, as most people mean it.
        return today + timedelta(days=ahead)
    if m := _END.fullmatch(p):
        which, what, year = m[1], m[2], m[3]
        later = 1 if which == "next " else 0
        if what == "week":
            return today + timedelta(days=(4 - today.weekday()) % 7 + 7 * later)  # Friday
        if what == "month":
            d = _add_months(today.replace(day=1), later)
            return _month_end(d.year, d.month)
        if what == "year":
            return date(today.year + later, 12, 31)
        if what in _MONTH and not which:
            month = _MONTH[what]
            if year:
                return _month_end(int(year), month)
            end = _month_end(today.year, month)
            return end if end >= today else _month_end(today.year + 1, month)
    return None
