"""What the App Home dashboard shows: the queries behind `/brs list` and `/brs deadlines`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot import grammar as c
from bot import queries as q
from store.model import FUNDING_STATUSES

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


@dataclass(frozen=True)
class HomeData:
    """What the Home tab shows, as of `today`, for an editor or not."""

    title: str
    today: date
    editor: bool
    counts: tuple[tuple[str, int], ...]  # (funding badge, number of activities)
    overdue: tuple[q.Due, ...]
    upcoming: tuple[q.Due, ...]
    undated: int
    sections: tuple[tuple[str, tuple[q.ListItem, ...]], ...]  # ("I Technical assistance", items)

    @property
    def activities(self) -> int:
        return sum(len(items) for _, items in self.sections)


def home_data(store: Store, *, today: date, editor: bool) -> HomeData:
    """What the dashboard shows, read by the queries behind `/brs list` and `/brs deadlines`."""
    listed = q.run(store, c.ListAll(), today=today)
    due = q.run(store, c.Deadlines(), today=today)
    assert isinstance(listed, q.ActivityList) and isinstance(due, q.DeadlineList)
    counts = Counter(i.funding for i in listed.items)
    sections: dict[tuple[str, str], list[q.ListItem]] = {}
    for item in listed.items:
        sections.setdefault((item.section, item.section_title), []).append(item)
    return HomeData(
        title=str(getattr(store.report_info(), "title", "") or ""),
        today=today,
        editor=editor,
        counts=tuple((s, counts[s]) for s in FUNDING_STATUSES if counts[s]),
        overdue=due.overdue,
        upcoming=due.upcoming,
        undated=len(due.unset),
        sections=tuple((f"{n} {t}".strip(), tuple(items)) for (n, t), items in sections.items()),
    )
