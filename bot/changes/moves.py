"""`/brs deadline move` (same id, done mark and reminder ledger) and `/brs snooze`."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.changes.editors import Asker
from bot.changes.outcomes import DeadlineMoved, Outcome, PastDate, Snoozed
from bot.grammar import CommandError
from bot.grammar.dates import relative
from bot.grammar.deadlines import FORMS, MoveDeadline, Snooze
from jobs.ledger import Ledger
from store.model import Deadline

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


def known_deadline(store: Store, deadline_id: str, form: str) -> Deadline:
    """The deadline with that id, or a CommandError listing its activity's ids."""
    found = store.deadline(deadline_id)
    if found is not None:
        return found
    code = deadline_id.rpartition("-")[0]
    ids = ", ".join(d.id for d in store.deadlines(code))
    where = f" {code}'s deadlines: {ids}." if ids else ""
    raise CommandError(f"No deadline {deadline_id}.{where} Like: {form}")


def event_name(store: Store, name: str) -> str | None:
    """An event's name as stored, whatever its case; None if nothing knows it."""
    known = set(store.events()) | {d.event for d in store.deadlines() if d.event}
    return next((k for k in sorted(known) if k.casefold() == name.casefold()), None)


def move(store: Store, change: MoveDeadline, asker: Asker) -> Outcome:
    """A new date for a deadline: only its date fields change, so id, done mark and the
    reminder ledger (whose entries carry the date they were for) stay as they are."""
    dl = known_deadline(store, change.id, FORMS["move"])
    if dl.kind != "deadline":
        raise CommandError(f"{dl.id} is a milestone the report records as done, not a deadline.")
    event, on = None, change.on
    if change.event is not None:
        event = event_name(store, change.event)
        if event is None or event not in store.events():
            known = ", ".join(sorted(store.events())) or "none yet"
            raise CommandError(
                f'No event "{change.event}" with a date (events: {known}); '
                f"set one first, like: {FORMS['event']}"
            )
        on = store.events()[event] + timedelta(days=change.offset_days)
    assert on is not None
    if on < asker.today:
        return PastDate(on, asker.today)
    before = dl.resolved(store.events())
    fields = {
        "on": (dl.on.isoformat() if dl.on else None, None if event else on.isoformat()),
        "end": (dl.end.isoformat() if dl.end else None, None),
        "event": (dl.event, event),
        "offset_days": (dl.offset_days, change.offset_days if event else 0),
        "phrase": (dl.phrase, change.phrase),
    }
    target = f"deadline:{dl.id}"
    store.commit(asker.user, [(target, f, old, new) for f, (old, new) in fields.items()])
    moved = store.deadline(dl.id) or dl
    return DeadlineMoved(moved, before, on, asker.today, typed=relative_phrase(change, asker))


def relative_phrase(change: MoveDeadline | Snooze, asker: Asker) -> str:
    """The date as typed when it was relative to today ("in 2 weeks"), to echo its date."""
    return change.phrase if change.phrase and relative(change.phrase, asker.today) else ""


def snooze(store: Store, change: Snooze, asker: Asker) -> Outcome:
    """No reminders for a deadline before a day: what the reminder's Snooze button does."""
    dl = known_deadline(store, change.id, FORMS["snooze"])
    if not dl.is_open:
        raise CommandError(f"{dl.id} is done or a milestone; it has no reminders to snooze.")
    until = change.until or asker.today + timedelta(days=change.days)
    if until <= asker.today:
        raise CommandError(f"Snooze until a later day than today, like: {FORMS['snooze']}")
    Ledger(store).snooze(dl.id, until, asker.user, asker.now)
    return Snoozed(dl, until, asker.today, relative_phrase(change, asker))
