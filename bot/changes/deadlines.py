"""Check a deadline, event or remind change against the store, commit it, and say what happened.

Every change goes through store.commit, so it is in the history with who made it; anything
wrong gets one line with the right form and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.changes.owners import code_of, may_change, owner_refusal
from bot.grammar import CommandError
from bot.grammar.deadlines import (
    FORMS,
    AddDeadline,
    Change,
    FinishDeadline,
    Remind,
    RemoveDeadline,
    SetEvent,
)
from bot.render import Reply, cut, error_reply, escape_mrkdwn, fit, fmt_date, fmt_days, fmt_who
from bot.settings import Settings
from jobs.reminders import CHANNEL_SETTING, reminder_channel
from store.model import Deadline, deadline_to_dict

CONSOLE_CHANNEL = "console"  # `/brs remind here` in brs console: reminders print there


@dataclass(frozen=True)
class Asker:
    """Who typed the command, where, and when: what a change needs beyond the store."""

    user: str
    settings: Settings
    now: datetime
    channel: str | None = None  # the conversation the command came from
    console: bool = False
    name: str | None = None  # how status lines are signed (Slack's user_name); else the user ID

    @property
    def editor(self) -> bool:
        return self.settings.is_editor(self.user, console=self.console)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.settings.tz).date()


class Store(Protocol):
    def activity(self, code: str) -> Any | None: ...
    def codes(self) -> list[str]: ...
    def deadline(self, deadline_id: str) -> Deadline | None: ...
    def deadlines(self, code: str | None = None) -> list[Deadline]: ...
    def events(self) -> dict[str, date]: ...
    def setting(self, name: str, default: Any = None) -> Any: ...
    def next_deadline_id(self, code: str) -> str: ...
    def commit(self, user: str, changes: Any) -> list[Any]: ...
    def set_event(self, name: str, on: date, user: str) -> Any: ...
    def set_setting(self, name: str, value: Any, user: str) -> Any: ...


def refusal(settings: Settings) -> str:
    """Why a non-editor cannot change things, and what to do about it."""
    if settings.editors is None:
        return (
            "Nobody can change brs from Slack yet: set BRS_EDITORS to the Slack user IDs of the "
            "editors, separated by commas (like U012AB3CD,U045EF6GH), and restart brs."
        )
    if not settings.editors:
        return "BRS_EDITORS names nobody, so nobody can change brs from Slack."
    names = ", ".join(f"<@{e}>" for e in sorted(settings.editors))
    return f"Only the editors can change brs: {names}. Ask one of them (or to be added to them)."


def apply(store: Store, change: Change, asker: Asker) -> Reply:
    """Check and commit one change for `asker`; the Reply says what happened or what was wrong."""
    if isinstance(change, Remind) and change.where is None:
        return _remind_status(store, asker)
    code = code_of(store, change)  # owners may manage their activity's deadlines
    if not may_change(store, asker.settings, asker.user, code, console=asker.console):
        why = refusal(asker.settings)
        return _error(owner_refusal(store, code, why) if code else why)
    try:
        match change:
            case AddDeadline():
                return _add(store, change, asker)
            case FinishDeadline():
                return _finish(store, change, asker)
            case RemoveDeadline():
                return _remove(store, change, asker)
            case SetEvent():
                return _event(store, change, asker)
            case Remind():
                return _remind(store, change, asker)
    except Mentions as e:
        return _error(str(e))
    except CommandError as e:
        return error_reply(str(e))
    raise TypeError(f"not a change: {change!r}")


class Mentions(CommandError):
    """An error already in mrkdwn, with mentions; what people typed in it is escaped."""


def _error(text: str) -> Reply:
    return Reply(fit([SectionBlock(text=MarkdownTextObject(text=text))]), cut(text, 300))


def _ok(text: str, note: str = "") -> Reply:
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=f":white_check_mark: {text}"))]
    if note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    return Reply(fit(blocks), cut(text, 300))


def _when(on: date | None, today: date) -> str:
    return f"{fmt_date(on)} ({fmt_days((on - today).days)})" if on else "no date yet"


def _event_name(store: Store, name: str) -> str | None:
    known = set(store.events()) | {d.event for d in store.deadlines() if d.event}
    return next((k for k in sorted(known) if k.casefold() == name.casefold()), None)


def _add(store: Store, change: AddDeadline, asker: Asker) -> Reply:
    activity = store.activity(change.code)
    if activity is None:
        codes = ", ".join(store.codes())
        raise CommandError(f'No activity "{change.code}". Valid codes: {codes}.')
    event = None
    on = change.on
    if change.event is not None:
        event = _event_name(store, change.event)
        if event is None or event not in store.events():
            known = ", ".join(sorted(store.events())) or "none yet"
            raise CommandError(
                f'No event "{change.event}" with a date (events: {known}); '
                f"set one first, like: {FORMS['event']}"
            )
        on = store.events()[event] + timedelta(days=change.offset_days)
    assert on is not None
    if on < asker.today:
        raise CommandError(
            f"{fmt_date(on)} is in the past (today is {fmt_date(asker.today)}); "
            "a new deadline needs today or a later date."
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
    rule = f" ({escape_mrkdwn(deadline.rule)})" if event else ""
    text = (
        f"Added `{new_id}` to *{escape_mrkdwn(activity.code)}*: "
        f"{escape_mrkdwn(cut(change.due, 300))} — {_when(on, asker.today)}{rule}."
    )
    return _ok(text, _schedule_note(asker.settings))


def _known_deadline(store: Store, deadline_id: str, form: str) -> Deadline:
    found = store.deadline(deadline_id)
    if found is not None:
        return found
    code = deadline_id.rpartition("-")[0]
    ids = ", ".join(d.id for d in store.deadlines(code))
    where = f" {code}'s deadlines: {ids}." if ids else ""
    raise CommandError(f"No deadline {deadline_id}.{where} Like: {form}")


def _finish(store: Store, change: FinishDeadline, asker: Asker) -> Reply:
    dl = _known_deadline(store, change.id, FORMS["done"])
    if dl.kind != "deadline":
        raise CommandError(f"{dl.id} is a milestone the report records as done, not a deadline.")
    if dl.done:
        who = f" by {fmt_who(dl.done_by)}" if dl.done_by else ""
        raise Mentions(f"`{escape_mrkdwn(dl.id)}` is already done{who}.")
    mark_done(store, dl, asker.user, asker.now)
    return _ok(
        f"`{dl.id}` is done: {escape_mrkdwn(cut(dl.due or dl.sentence, 300))}. "
        "No more reminders for it."
    )


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


def _remove(store: Store, change: RemoveDeadline, asker: Asker) -> Reply:
    dl = _known_deadline(store, change.id, FORMS["remove"])
    store.commit(asker.user, [(f"deadline:{dl.id}", "", deadline_to_dict(dl), None)])
    return _ok(
        f"Removed `{dl.id}`: {escape_mrkdwn(cut(dl.due or dl.sentence, 300))}.",
        f"It stays in `/brs history {escape_mrkdwn(dl.activity)}`.",
    )


def _event(store: Store, change: SetEvent, asker: Asker) -> Reply:
    name = _event_name(store, change.name)
    if name is None:
        known = ", ".join(sorted(store.events())) or "none"
        raise CommandError(
            f'No event "{change.name}"; deadlines use: {known}. Like: {FORMS["event"]}'
        )
    before = store.events().get(name)
    store.set_event(name, change.on, asker.user)
    moved = [d for d in store.deadlines() if d.event == name and d.is_open]
    was = f" (was {fmt_date(before)})" if before and before != change.on else ""
    lines = "\n".join(
        f"• `{escape_mrkdwn(d.id)}` {_when(d.resolved({name: change.on}), asker.today)}"
        f" — {escape_mrkdwn(cut(d.due, 120))}"
        for d in moved
    )
    text = f"{escape_mrkdwn(name)} is on {fmt_date(change.on)}{was}."
    if moved:
        text += f" Deadlines that depend on it, and their reminders, move with it:\n{lines}"
    return _ok(text)


def _remind(store: Store, change: Remind, asker: Asker) -> Reply:
    if change.where == "off":
        store.set_setting(CHANNEL_SETTING, "", asker.user)
        return _ok("Reminders are off. `/brs remind here` in a channel turns them on there.")
    channel = CONSOLE_CHANNEL if asker.console else asker.channel
    if not channel:
        raise CommandError("Type /brs remind here in the channel that should get the reminders.")
    store.set_setting(CHANNEL_SETTING, channel, asker.user)
    where = "here in the console" if channel == CONSOLE_CHANNEL else f"to <#{channel}>"
    note = _schedule_note(asker.settings)
    if channel != CONSOLE_CHANNEL:
        note += " I must be a member of the channel: `/invite @brs`."
    return _ok(f"Reminders now go {where}.", note)


def _remind_status(store: Store, asker: Asker) -> Reply:
    default = CONSOLE_CHANNEL if asker.console else None
    channel = reminder_channel(store, asker.settings, default)  # type: ignore[arg-type]
    if not channel:
        text = "Reminders are off. Editors turn them on with `/brs remind here` in a channel."
    elif channel == CONSOLE_CHANNEL:
        text = "Reminders print here in the console."
    else:
        text = f"Reminders go to <#{channel}>."
    return _ok(text, _schedule_note(asker.settings))


def _schedule_note(settings: Settings) -> str:
    leads = sorted(settings.lead_days, reverse=True)
    days = ", ".join(map(str, leads[:-1]))
    days = f"{days} and {leads[-1]}" if days else str(leads[-1])
    at = settings.remind_at.strftime("%H:%M" if not settings.remind_at.second else "%H:%M:%S")
    return (
        f"Reminders: {days} days before each open deadline at {at} ({settings.tz.key}), "
        f"the day after a missed one, and a digest on {settings.digest_words}; "
        f"on working days only ({settings.workday_words})."
    )
