"""What the scheduler posts, composed from the queries and the renderer; handed to jobs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.queries.digest import digest
from bot.render.reminders import digest_message, reminder_message
from jobs.outbox import Message
from jobs.schedule import Item

if TYPE_CHECKING:  # the store's module loads TinyDB; only types are needed
    from store.repository import Store


def compose(store: Store, item: Item, today: date, late: bool) -> Message:
    """The reminder for `item` (or the Monday digest when it names no deadline)."""
    if item.deadline is None:
        d = digest(store, today)
        return digest_message(
            monday=item.on,
            deadlines=d.deadlines,
            unfunded=d.unfunded,
            due_at=item.at,
            late=late,
        )
    activity = store.activity(item.deadline.activity)
    return reminder_message(
        key=item.key,
        deadline=item.deadline,
        on=item.on,
        lead=item.lead,
        title=activity.title if activity else "",
        today=today,
        due_at=item.at,
        late=late,
    )
