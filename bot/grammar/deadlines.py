"""The grammar of `/brs deadline add|done|remove`, `/brs event` and `/brs remind`.

bot.changes.deadlines checks a parsed change against the store and commits it.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.grammar.dates import relative
from bot.grammar.words import CODE_RE, CommandError, check_length, quote
from store import model

VERBS = frozenset({"deadline", "event", "remind", "snooze"})

FORMS = {
    # Relative dates keep every example valid whatever today is.
    "add": "/brs deadline add S17 in 2 weeks Collect responses "
    "(or a date such as 31 August 2030, or: 90 days before COP-2013 Publish the report)",
    "done": "/brs deadline done S17-2",
    "remove": "/brs deadline remove S17-5",
    "move": "/brs deadline move S17-3 in 2 weeks (or a date, or: 30 days before COP-2013)",
    "snooze": "/brs snooze S17-2 1w (or 1d, 3d, 2w, or a date such as next friday)",
    "event": "/brs event COP-2013 2013-04-28",
    "event remove": "/brs event remove COP-2015",
    "remind": "/brs remind here (or: /brs remind off)",
}
_ID = re.compile(r"[A-Za-z]+\d+-\d+")
_EVENT = re.compile(r"[A-Za-z][\w.-]*")
_RELATIVE = re.compile(r"(\d{1,4})\s+days?\s+(before|after)\s+(\S+)\s+(.*\S)", re.I | re.S)
# dateutil fills what a phrase leaves out from its default; two defaults show what was left out.
_DEFAULTS = (datetime(1, 1, 1), datetime(2, 2, 2))
_YEAR_FIRST = re.compile(r"\s*\d{4}\b")
MAX_DATE_WORDS = 4


@dataclass(frozen=True)
class AddDeadline:
    code: str
    due: str  # what is due, as typed
    on: date | None = None
    event: str | None = None
    offset_days: int = 0
    phrase: str = ""  # the date as typed


@dataclass(frozen=True)
class FinishDeadline:
    id: str


@dataclass(frozen=True)
class RemoveDeadline:
    id: str


@dataclass(frozen=True)
class MoveDeadline:
    id: str
    on: date | None = None
    event: str | None = None
    offset_days: int = 0
    phrase: str = ""  # the date as typed


@dataclass(frozen=True)
class Snooze:
    id: str
    until: date | None = None  # None: `days` from today
    days: int = 0
    phrase: str = ""


@dataclass(frozen=True)
class SetEvent:
    name: str
    on: date


@dataclass(frozen=True)
class RemoveEvent:
    name: str


@dataclass(frozen=True)
class Remind:
    where: str | None  # "here", "off", or None: say where reminders go


Change = (
    AddDeadline
    | FinishDeadline
    | RemoveDeadline
    | MoveDeadline
    | Snooze
    | SetEvent
    | RemoveEvent
    | Remind
)
CHANGES = (
    AddDeadline,
    FinishDeadline,
    RemoveDeadline,
    MoveDeadline,
    Snooze,
    SetEvent,
    RemoveEvent,
    Remind,
)
_SNOOZE = re.compile(r"(\d{1,3})\s*([dw])", re.I)


# --- parsing ------------------------------------------------------------------


class DateProblem(CommandError):
    """A phrase that is not a whole date; `rank` says how telling the message is."""

    def __init__(self, message: str, rank: int) -> None:
        super().__init__(message)
        self.rank = rank


def read_date(phrase: str, today: date | None = None) -> date:
    """A whole date (day, month and year) in any form dateutil reads; DateProblem if not.

    Day first (03/04/2013 is 3 April), except after a year (2013-04-03 is 3 April too:
    dateutil's dayfirst would read it as 4 March).
    """
    from dateutil import parser as dateparser  # here: answering read-only queries never needs it

    if today is not None and (on := relative(phrase, today)) is not None:
        return in_window(on, phrase)
    dayfirst = not _YEAR_FIRST.match(phrase)
    try:
        first, second = (dateparser.parse(phrase, dayfirst=dayfirst, default=d) for d in _DEFAULTS)
    except (dateparser.ParserError, ValueError, OverflowError) as e:
        if "out of range" in str(e):
            why = str(e).partition(":")[0]
            raise DateProblem(f"{quote(phrase, 40)} is not a date: {why}.", 1) from None
        raise DateProblem(f"Cannot read {quote(phrase, 40)} as a date.", 0) from None
    if first.date() != second.date():
        raise DateProblem(
            f"{quote(phrase, 40)} needs a day, a month and a year, "
            "like 2012-08-31 or 31 August 2012.",
            2,
        )
    return in_window(first.date(), phrase)


def in_window(on: date, phrase: str) -> date:
    """A date people mean: outside the store's window it is a typing slip, refused."""
    if not model.in_window(on):
        years = f"{model.FIRST_YEAR}–{model.LAST_YEAR}"
        raise DateProblem(f"{quote(phrase, 40)} is outside the years {years} brs accepts.", 3)
    return on


def _date_then_text(words: list[str], form: str, today: date | None) -> tuple[date, str, str]:
    """The shortest leading words that make a whole date, and the words after them."""
    problem: DateProblem | None = None
    for n in range(1, min(MAX_DATE_WORDS, len(words) - 1) + 1):
        phrase = " ".join(words[:n])
        try:
            on = read_date(phrase, today)
        except DateProblem as e:
            problem = e if problem is None or e.rank > problem.rank else problem
            continue
        if n + 1 < len(words) and words[n].isdigit():  # "end of February" then "2028"
            longer = f"{phrase} {words[n]}"
            with contextlib.suppress(DateProblem):
                return read_date(longer, today), longer, " ".join(words[n + 1 :])
        return on, phrase, " ".join(words[n:])
    if problem is not None and problem.rank:
        raise CommandError(f"{problem} Like: {form}")
    raise CommandError(f"Give a date and what is due, like: {form}")


def parse(verb: str, rest: list[str], today: date | None = None) -> Change:
    """Read one of the change commands (`verb` in VERBS); CommandError says the right form."""
    if verb == "event":
        if rest and rest[0].lower() == "remove" and len(rest) <= 2:
            if len(rest) != 2 or not _EVENT.fullmatch(rest[1]):
                raise CommandError(f'"event remove" takes a name, like: {FORMS["event remove"]}')
            return RemoveEvent(rest[1])
        if len(rest) < 2 or not _EVENT.fullmatch(rest[0]):
            raise CommandError(f'"event" takes a name and a date, like: {FORMS["event"]}')
        return SetEvent(rest[0], read_date(" ".join(rest[1:]), today))
    if verb == "remind":
        if not rest:
            return Remind(None)
        if len(rest) == 1 and rest[0].lower() in ("here", "off"):
            return Remind(rest[0].lower())
        raise CommandError(f'"remind" takes "here" or "off", like: {FORMS["remind"]}')
    if verb == "snooze":
        return _snooze(rest, today)
    sub = rest[0].lower() if rest else ""
    if sub == "move":
        return _move(rest[1:], today)
    if sub in ("done", "remove"):
        if len(rest) != 2 or not _ID.fullmatch(rest[1]):
            raise CommandError(f'"deadline {sub}" takes a deadline\'s id, like: {FORMS[sub]}')
        return (FinishDeadline if sub == "done" else RemoveDeadline)(rest[1].upper())
    if sub != "add":
        raise CommandError(
            f'"deadline" is followed by add, done, move or remove, like: {FORMS["add"]}'
        )
    if len(rest) < 4 or not CODE_RE.fullmatch(rest[1]):
        raise CommandError(
            f'"deadline add" takes a code, a date and what is due, like: {FORMS["add"]}'
        )
    code, words = rest[1].upper(), rest[2:]
    if m := _RELATIVE.fullmatch(" ".join(words)):
        days, side, event, due = int(m[1]), m[2].lower(), m[3], m[4]
        offset = -days if side == "before" else days
        check_length(due, "What is due")
        return AddDeadline(code, due, None, event, offset, f"{days} days {side} {event}")
    on, phrase, due = _date_then_text(words, FORMS["add"], today)
    return AddDeadline(code, check_length(due, "What is due"), on, phrase=phrase)


def _move(rest: list[str], today: date | None) -> MoveDeadline:
    if len(rest) < 2 or not _ID.fullmatch(rest[0]):
        raise CommandError(f'"deadline move" takes an id and a new date, like: {FORMS["move"]}')
    dl_id, phrase = rest[0].upper(), " ".join(rest[1:])
    if m := _RELATIVE.fullmatch(f"{phrase} x"):  # the pattern wants text after the event
        days, side, event = int(m[1]), m[2].lower(), m[3]
        offset = -days if side == "before" else days
        return MoveDeadline(dl_id, None, event, offset, f"{days} days {side} {event}")
    try:
        return MoveDeadline(dl_id, read_date(phrase, today), phrase=phrase)
    except DateProblem as e:
        raise CommandError(f"{e} Like: {FORMS['move']}") from None


def _snooze(rest: list[str], today: date | None) -> Snooze:
    if len(rest) < 2 or not _ID.fullmatch(rest[0]):
        raise CommandError(f'"snooze" takes a deadline\'s id and how long, like: {FORMS["snooze"]}')
    dl_id, phrase = rest[0].upper(), " ".join(rest[1:])
    if m := _SNOOZE.fullmatch(phrase):
        n = int(m[1]) * (7 if m[2].lower() == "w" else 1)
        if n < 1:
            raise CommandError(f"Snooze for at least a day, like: {FORMS['snooze']}")
        return Snooze(dl_id, None, n, phrase)
    try:
        return Snooze(dl_id, read_date(phrase, today), phrase=phrase)
    except DateProblem as e:
        raise CommandError(f"{e} Like: {FORMS['snooze']}") from None
