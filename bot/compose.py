"""What the scheduler posts, composed from the queries and the renderer; handed to jobs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from bot.queries.digest import Digest, digest
from bot.render.reminders import digest_message, reminder_message
from jobs import recipients
from jobs.outbox import Message
from jobs.schedule import Item

if TYPE_CHECKING:  # the store's module loads TinyDB; only types are needed
    from store.repository import Store


def compose(store: Store, item: Item, today: date, late: bool) -> Message:
    """The reminder for `item` (or the Monday digest when it names no deadline): the channel's
    mentions the owners; a DM (item.to) says why its reader gets it and how to stop."""
    if item.deadline is None:
        d = digest(store, today)
        if item.to is not None:
            d = _their_part(store, d, item.to)
        return digest_message(
            key=item.key,
            monday=item.on,
            deadlines=d.deadlines,
            unfunded=d.unfunded,
            due_at=item.at,
            late=late,
            to=item.to,
        )
    code = item.deadline.activity
    activity = store.activity(code)
    owners = recipients.owners(store, code)
    return reminder_message(
        key=item.key,
        deadline=item.deadline,
        on=item.on,
        lead=item.lead,
        title=activity.title if activity else "",
        today=today,
        due_at=item.at,
        late=late,
        owners=owners,
        to=item.to,
        role=None if item.to is None else "owner" if item.to in owners else "follower",
    )


def _their_part(store: Store, d: Digest, user: str) -> Digest:
    """The digest cut down to the activities `user` owns or follows."""
    mine = set(recipients.follows(store, user))
    mine |= {c for c in store.codes() if user in recipients.owners(store, c)}
    deadlines = replace(
        d.deadlines,
        overdue=tuple(x for x in d.deadlines.overdue if x.deadline.activity in mine),
        upcoming=tuple(x for x in d.deadlines.upcoming if x.deadline.activity in mine),
    )
    return Digest(deadlines, tuple(e for e in d.unfunded if e.code in mine))
