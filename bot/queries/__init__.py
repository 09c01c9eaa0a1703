"""Answer read-only commands from the store as plain frozen dataclasses (no Block Kit)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from bot import grammar as c
from bot.queries import report_changes
from bot.queries import search as searching
from bot.queries.codes import resolve
from bot.queries.events import events
from bot.queries.owners import owners_of
from bot.queries.results import (
    ActivityCard,
    ActivityList,
    DeadlineList,
    Due,
    EventItem,
    EventList,
    FundingEntry,
    FundingGroup,
    FundingOverview,
    HelpResult,
    HistoryResult,
    ListItem,
    NotFound,
    Result,
    SearchHit,
    SearchResults,
)
from store.model import (
    FUNDING_LABELS,
    FUNDING_STATUSES,
    Activity,
    Deadline,
    Row,
    Section,
)

__all__ = [
    "ActivityCard",
    "ActivityList",
    "DeadlineList",
    "Due",
    "EventItem",
    "EventList",
    "FundingEntry",
    "FundingGroup",
    "FundingOverview",
    "HISTORY_SHOWN",
    "HelpResult",
    "HistoryResult",
    "ListItem",
    "NotFound",
    "Result",
    "SearchHit",
    "SearchResults",
    "Store",
    "run",
]


if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store

HISTORY_SHOWN = 80  # the newest history records read for `/brs history`
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_WORD = re.compile(r"\w+")


def _due(dl: Deadline, titles: dict[str, str], events: dict[str, date], today: date) -> Due:
    on = dl.resolved(events)
    days = (on - today).days if on else None
    return Due(dl, dl.activity, titles.get(dl.activity.upper(), ""), on, days)


def _soonest(d: Due) -> tuple:
    # On the same day, S4-2 comes before S17-3: compare the numbers in ids as numbers.
    natural = [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", d.deadline.id)]
    return (d.on is None, d.on or date.max, natural)


def _open_dues(store: Store, today: date, titles: dict[str, str]) -> list[Due]:
    events = store.events()
    dues = [_due(dl, titles, events, today) for dl in store.deadlines() if dl.is_open]
    return sorted(dues, key=_soonest)


def _show(store: Store, cmd: c.Show, today: date) -> ActivityCard | NotFound:
    code = resolve(store, cmd.code)
    a = store.activity(code) if code else None
    if a is None:
        return NotFound("activity", cmd.code, tuple(store.codes()))
    events, titles = store.events(), {a.code.upper(): a.title}
    mine = [
        _due(dl, titles, events, today)
        for dl in store.deadlines()
        if dl.activity.upper() == a.code.upper()
    ]
    dues = sorted((d for d in mine if d.deadline.is_open), key=_soonest)
    dues += sorted((d for d in mine if not d.deadline.is_open), key=_soonest)
    command = f"{a.code} {cmd.view}" if cmd.view else a.code
    return ActivityCard(
        command,
        a,
        tuple(dues),
        store.last_change(a.code),
        view=cmd.view,
        owners=owners_of(store, a.code),
    )


def _items(store: Store, activities: list[Activity], today: date) -> tuple[ListItem, ...]:
    titles = {a.code.upper(): a.title for a in activities}
    first: dict[str, Due] = {}
    for d in _open_dues(store, today, titles):
        first.setdefault(d.code.upper(), d)
    items = []
    for a in activities:
        due = first.get(a.code.upper())
        items.append(
            ListItem(
                a.code,
                a.title,
                a.section,
                a.section_title,
                a.funding_status,
                due,
                owners_of(store, a.code),
            )
        )
    return tuple(items)


def _arabic(number: str) -> int | None:
    """The value of a roman ("VII") or arabic ("7") section number."""
    n = number.strip().lower()
    if n.isdigit():
        return int(n)
    if not n or any(ch not in _ROMAN for ch in n):
        return None
    values = [_ROMAN[ch] for ch in n]
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0], strict=True))


def _matching_sections(sections: list[Section], key: str) -> list[Section]:
    k = key.strip(" .").lower()
    value = _arabic(k)
    by_number = [
        s
        for s in sections
        if s.number.lower() == k or (value is not None and _arabic(s.number) == value)
    ]
    if by_number:
        return by_number
    words = _WORD.findall(k)
    return [
        s
        for s in sections
        if words
        and all(any(t.startswith(w) for t in _WORD.findall(s.title.lower())) for w in words)
    ]


def _section(store: Store, cmd: c.InSection, today: date) -> ActivityList | NotFound:
    sections = list(store.report_info().sections)
    found = _matching_sections(sections, cmd.key)
    if not found:
        return NotFound("section", cmd.key, tuple(f"{s.number} {s.title}" for s in sections))
    numbers = {s.number.lower() for s in found}
    chosen = [a for a in store.activities() if a.section.lower() in numbers]
    heading = " · ".join(f"{s.number} {s.title}" for s in found)
    if cmd.funding is not None:  # "what in section III is not funded?"
        chosen = [a for a in chosen if any(r.funding.status == cmd.funding for r in a.rows)]
        heading += f" · {FUNDING_LABELS[cmd.funding]}"
    return ActivityList(cmd.text, heading, _items(store, chosen, today))


def _row_words(row: Row) -> str:
    if row.funding.status == "mixed" and row.funding.parts:
        return " / ".join(p.words for p in row.funding.parts)
    return row.funding.words


def _funding(store: Store, cmd: c.Funding) -> FundingOverview:
    groups: dict[str, list[FundingEntry]] = {s: [] for s in FUNDING_STATUSES}
    for a in store.activities():
        by_status: dict[str, list[int]] = {}
        for n, row in enumerate(a.rows, 1):
            by_status.setdefault(row.funding.status, []).append(n)
        several = len(by_status) > 1
        for status, numbers in by_status.items():
            words = tuple(w for n in numbers if (w := _row_words(a.rows[n - 1])))
            entry = FundingEntry(a.code, a.title, tuple(numbers) if several else (), words)
            groups.setdefault(status, []).append(entry)
    wanted = [cmd.group] if cmd.group else list(groups)
    listed: dict[str, int] = {}
    for s in wanted:
        for e in groups[s]:
            listed[e.code] = listed.get(e.code, 0) + 1
    return FundingOverview(
        cmd.text,
        tuple((s, len(groups[s])) for s in wanted),
        tuple(FundingGroup(s, tuple(groups[s])) for s in wanted),
        len(listed),
        tuple(code for code, n in listed.items() if n > 1),
    )


def _deadlines(store: Store, cmd: c.Deadlines, today: date) -> DeadlineList:
    titles = {a.code.upper(): a.title for a in store.activities()}
    dues = _open_dues(store, today, titles)
    return DeadlineList(
        cmd.text,
        cmd.days,
        tuple(d for d in dues if d.overdue),
        tuple(
            d
            for d in dues
            if d.days is not None and d.days >= 0 and (cmd.days is None or d.days <= cmd.days)
        ),
        tuple(d for d in dues if d.on is None),
    )


def _history(store: Store, cmd: c.History) -> HistoryResult | NotFound:
    code = resolve(store, cmd.code)
    a = store.activity(code) if code else None
    if a is None:
        return NotFound("activity", cmd.code, tuple(store.codes()))
    # Only what a reply can show: reading 100,000 records would take seconds.
    newest = store.history(a.code, newest=HISTORY_SHOWN)
    changes = sorted(newest, key=lambda ch: ch.seq, reverse=True)
    total = store.history_count(a.code)
    return HistoryResult(cmd.text, a.code, a.title, tuple(changes), len(a.rows), total)


def run(store: Store, cmd: c.Command, *, today: date) -> Result:
    """Answer one parsed read-only command as of `today`."""
    match cmd:
        case c.Help():
            return HelpResult(cmd.text, cmd.topic)
        case c.Show():
            return _show(store, cmd, today)
        case c.ListAll():
            return ActivityList(
                cmd.text, "All activities", _items(store, store.activities(), today)
            )
        case c.InSection():
            return _section(store, cmd, today)
        case c.Funding():
            return _funding(store, cmd)
        case c.Deadlines():
            return _deadlines(store, cmd, today)
        case c.Search():
            return searching.search(store, cmd)
        case c.History():
            return _history(store, cmd)
        case c.Events():
            return events(store, cmd.text, today)
    if isinstance(cmd, report_changes.Changes):  # `/brs changes`
        return report_changes.run(store, cmd, today=today)  # type: ignore[return-value]
    raise TypeError(f"not a command: {cmd!r}")
