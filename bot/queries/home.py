"""What the App Home dashboard shows: the queries behind `/brs list` and `/brs deadlines`, and
per person what they own or follow ("Yours") and which activities they may edit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot import grammar as c
from bot import queries as q
from jobs import recipients
from store.model import FUNDING_STATUSES

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


YOURS_DEADLINES = 2  # the next open deadlines shown with each of yours


@dataclass(frozen=True)
class Yours:
    """An activity the viewer owns or follows, with its next open deadlines."""

    item: q.ListItem
    role: str  # "owner" or "follower"
    dues: tuple[q.Due, ...]  # overdue first, then the soonest


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
    yours: tuple[Yours, ...] = ()
    owned: frozenset[str] = frozenset()  # codes the viewer owns: they may edit those too

    def may_edit(self, code: str) -> bool:
        return self.editor or code in self.owned

    @property
    def activities(self) -> int:
        return sum(len(items) for _, items in self.sections)


def home_data(store: Store, *, today: date, editor: bool, user: str | None = None) -> HomeData:
    """What the dashboard shows, read by the queries behind `/brs list` and `/brs deadlines`;
    for `user`, what they own or follow first."""
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
        **_yours(store, user, listed.items, (*due.overdue, *due.upcoming)),
    )


def _yours(
    store: Store, user: str | None, items: tuple[q.ListItem, ...], dues: tuple[q.Due, ...]
) -> dict:
    if user is None:
        return {}
    owned = frozenset(i.code for i in items if user in i.owners)
    followed = set(recipients.follows(store, user))
    yours = tuple(
        Yours(
            i,
            "owner" if i.code in owned else "follower",
            tuple(d for d in dues if d.code == i.code)[:YOURS_DEADLINES],
        )
        for i in items
        if i.code in owned or i.code in followed
    )
    return {"yours": yours, "owned": owned}
