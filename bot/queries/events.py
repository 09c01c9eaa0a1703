"""`/brs events`: the named events, their dates, and the deadlines that follow each."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.queries.results import Due, EventItem, EventList

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


def events(store: Store, command: str, today: date) -> EventList:
    """Every event with a date, and every one deadlines name without a date, by date."""
    dated = store.events()
    titles = {a.code.upper(): a.title for a in store.activities()}
    hanging: dict[str, list[Due]] = {}
    for dl in store.deadlines():
        if dl.event:
            on = dl.resolved(dated)
            due = Due(dl, dl.activity, titles.get(dl.activity.upper(), ""), on, _days(on, today))
            hanging.setdefault(dl.event, []).append(due)
    names = sorted(set(dated) | set(hanging), key=lambda n: (n not in dated, dated.get(n), n))
    items = []
    for name in names:
        dues = sorted(
            hanging.get(name, []), key=lambda d: (not d.deadline.is_open, d.on or date.max)
        )
        items.append(EventItem(name, dated.get(name), tuple(dues)))
    return EventList(command, tuple(items))


def _days(on: date | None, today: date) -> int | None:
    return (on - today).days if on else None
