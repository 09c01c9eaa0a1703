"""Check a deadline, event or remind change against the store, commit it, return the outcome."""

# Every change goes through store.commit, so it is in the history with who made it; anything
# wrong is one Problem line with the right form, and changes nothing.

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.changes import moves
from bot.changes.editors import Asker, activity_of, check
from bot.changes.moves import event_name, known_deadline
from bot.changes.outcomes import (
    AlreadyDone,
    DeadlineAdded,
    DeadlineDone,
    DeadlineRemoved,
    EventMoved,
    EventRemoved,
    Outcome,
    PastDate,
    Problem,
    Reminders,
)
from bot.grammar import CommandError
from bot.grammar.dates import relative
from bot.grammar.deadlines import (
    FORMS,
    AddDeadline,
    Change,
    FinishDeadline,
    MoveDeadline,
    Remind,
    RemoveDeadline,
    RemoveEvent,
    SetEvent,
    Snooze,
)
from jobs.reminders import CHANNEL_SETTING, reminder_channel
from store.model import Deadline, deadline_to_dict

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


CONSOLE_CHANNEL = "console"  # `/brs remind here` in brs console: reminders print there


def apply(store: Store, change: Change, asker: Asker) -> Outcome:
    """Check and commit one change for `asker`: what happened, or what was wrong."""
    if isinstance(change, Remind) and change.where is None:
        return _remind_status(store, asker)
    code = activity_of(store, change)  # owners may manage their activity's deadlines
    if refused := check(asker.settings, asker.user, console=asker.console, store=store, code=code):
        return refused
    try:
        match change:
            case AddDeadline():
                return _add(store, change, asker)
            case FinishDeadline():
                return _finish(store, change, asker)
            case RemoveDeadline():
                return _remove(store, change, asker)
            case MoveDeadline():
                return moves.move(store, change, asker)
            case Snooze():
                return moves.snooze(store, change, asker)
            case SetEvent():
                return _event(store, change, asker)
            case RemoveEvent():
                return _remove_event(store, change, asker)
            case Remind():
                return _remind(store, change, asker)
    except CommandError as e:
        return Problem(str(e))
    raise TypeError(f"not a change: {change!r}")


def _add(store: Store, change: AddDeadline, asker: Asker) -> Outcome:
    activity = store.activity(change.code)
    if activity is None:
        codes = ", ".join(store.codes())
        raise CommandError(f'No activity "{change.code}". Valid codes: {codes}.')
    event = None
    on = change.on
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
    same = next(
        (
            d.id
            for d in store.deadlines(activity.code)
            if d.is_open
            and d.resolved(store.events()) == on
            and " ".join(d.due.split()).casefold() == " ".join(change.due.split()).casefold()
        ),
        None,
    )
    new_id = store.next_deadline_id(activity.code)
    deadline = Deadline(
        id=new_id,
        activity=activity.code,
        due=change.due,
        sentence=change.due,
        on=None if event else on,
        event=event,
        offset_days=change.offset_days if event else 0,
        phrase=change.phrase,
        source="slack",
    )
    store.commit(asker.user, [(f"deadline:{new_id}", "", None, deadline_to_dict(deadline))])
    typed = change.phrase if change.phrase and relative(change.phrase, asker.today) else ""
    return DeadlineAdded(deadline, on, asker.today, asker.settings, typed, same)


def _finish(store: Store, change: FinishDeadline, asker: Asker) -> Outcome:
    dl = known_deadline(store, change.id, FORMS["done"])
    if dl.kind != "deadline":
        raise CommandError(f"{dl.id} is a milestone the report records as done, not a deadline.")
    if dl.done:
        return AlreadyDone(dl)
    mark_done(store, dl, asker.user, asker.now)
    return DeadlineDone(dl)


def mark_done(store: Store, dl: Deadline, user: str, now: datetime) -> None:
    """Done, by whom, when (UTC): three fields of one history batch. Also the Done button's."""
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    target = f"deadline:{dl.id}"
    store.commit(
        user,
        [
            (target, "done", dl.done, True),
            (target, "done_by", dl.done_by, user),
            (target, "done_at", dl.done_at, stamp),
        ],
    )


def _remove(store: Store, change: RemoveDeadline, asker: Asker) -> Outcome:
    dl = known_deadline(store, change.id, FORMS["remove"])
    store.commit(asker.user, [(f"deadline:{dl.id}", "", deadline_to_dict(dl), None)])
    return DeadlineRemoved(dl)


def _event(store: Store, change: SetEvent, asker: Asker) -> Outcome:
    name = event_name(store, change.name) or change.name  # unknown: a new event
    if store.activity(name) is not None:
        raise CommandError(f"{name} is an activity; give the event another name, like COP-2015.")
    before = store.events().get(name)
    store.set_event(name, change.on, asker.user)
    moved = tuple(
        (d, d.resolved({name: change.on}))
        for d in store.deadlines()
        if d.event == name and d.is_open
    )
    return EventMoved(name, change.on, before, moved, asker.today, created=before is None)


def _remove_event(store: Store, change: RemoveEvent, asker: Asker) -> Outcome:
    name = event_name(store, change.name)
    if name is None or name not in store.events():
        known = ", ".join(sorted(store.events())) or "none"
        raise CommandError(f'No event "{change.name}" (events: {known}). See /brs events.')
    users = [d.id for d in store.deadlines() if d.event == name]
    if users:
        raise CommandError(
            f"{name} is used by {', '.join(users)}; move or remove those deadlines first "
            "(/brs deadline remove ID), or give it a new date: "
            f"/brs event {name} DATE."
        )
    on = store.events()[name]
    store.commit(asker.user, [(f"event:{name}", "", on.isoformat(), None)])
    return EventRemoved(name, on)


def _remind(store: Store, change: Remind, asker: Asker) -> Outcome:
    if change.where == "off":
        store.set_setting(CHANNEL_SETTING, "", asker.user)
        return Reminders(None, True, False, asker.settings)
    channel = CONSOLE_CHANNEL if asker.console else asker.channel
    if not channel:
        raise CommandError("Type /brs remind here in the channel that should get the reminders.")
    store.set_setting(CHANNEL_SETTING, channel, asker.user)
    return Reminders(channel, True, channel == CONSOLE_CHANNEL, asker.settings)


def _remind_status(store: Store, asker: Asker) -> Outcome:
    default = CONSOLE_CHANNEL if asker.console else None
    channel = reminder_channel(store, asker.settings, default)
    return Reminders(channel, False, channel == CONSOLE_CHANNEL, asker.settings)
