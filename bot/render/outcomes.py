"""What a change did, in words: one renderer per outcome of bot.changes, each a Reply."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.changes import outcomes as o
from bot.render import owners
from bot.render.blocks import (
    OpenModal,
    Reply,
    context,
    cut,
    error_reply,
    escape_mrkdwn,
    fit,
    section,
)
from bot.render.form import edit_view
from bot.render.format import fmt_date, fmt_days, fmt_when, fmt_who
from bot.render.history import describe_state, quoted
from bot.settings import Settings
from store.model import FUNDING_LABELS


def _ok(text: str, note: str = "") -> Reply:
    """A confirmation in mrkdwn; whatever a person typed in `text` is already escaped."""
    blocks = [section(f":white_check_mark: {text}")]
    if note:
        blocks.append(context(note))
    return Reply(fit(blocks), cut(text, 300))


def _mrkdwn_error(text: str) -> Reply:
    """An error already in mrkdwn (with mentions); what people typed in it is escaped."""
    return Reply(fit([section(text)]), cut(text, 300))


def _when(on: date | None, today: date) -> str:
    return f"{fmt_date(on)} ({fmt_days((on - today).days)})" if on else "no date yet"


def schedule_note(settings: Settings) -> str:
    leads = sorted(settings.lead_days, reverse=True)
    days = ", ".join(map(str, leads[:-1]))
    days = f"{days} and {leads[-1]}" if days else str(leads[-1])
    at = settings.remind_at.strftime("%H:%M" if not settings.remind_at.second else "%H:%M:%S")
    return (
        f"Reminders: {days} days before each open deadline at {at} ({settings.tz.key}), "
        f"the day after a missed one, and a digest on {settings.digest_words}; "
        f"on working days only ({settings.workday_words})."
    )


def _refused(r: o.Refused) -> Reply:
    blocks = [section(r.why), context(r.how_to_fix)]
    return Reply(fit(blocks), cut(r.why, 300))


# --- deadlines, events, reminders ---------------------------------------------------------


def _typed(typed: str, on: date) -> str:
    """ "in 2 weeks" is 3 September 2012: a relative date, echoed as the date it became."""
    return f" ({quoted(typed, 60)} is {fmt_date(on)})" if typed else ""


def _added(r: o.DeadlineAdded) -> Reply:
    dl = r.deadline
    rule = f" ({escape_mrkdwn(dl.rule)})" if dl.event else ""
    text = (
        f"Added `{dl.id}` to *{escape_mrkdwn(dl.activity)}*: "
        f"{escape_mrkdwn(cut(dl.due, 300))} — {_when(r.on, r.today)}{rule}{_typed(r.typed, r.on)}."
    )
    if r.same_as:
        text += (
            f"\n:warning: `{escape_mrkdwn(r.same_as)}` is the same deadline (same date, same text);"
            f" `/brs deadline remove {dl.id}` if this one was a slip."
        )
    return _ok(text, schedule_note(r.settings))


def _moved(r: o.DeadlineMoved) -> Reply:
    dl = r.deadline
    rule = f" ({escape_mrkdwn(dl.rule)})" if dl.event else ""
    was = f" (was {fmt_date(r.before)})" if r.before and r.before != r.on else ""
    done = " It is still marked done." if dl.done else ""
    text = (
        f"Moved `{escape_mrkdwn(dl.id)}` to {_when(r.on, r.today)}{rule}{_typed(r.typed, r.on)}"
        f"{was}: {escape_mrkdwn(cut(dl.due or dl.sentence, 300))}.{done}"
    )
    return _ok(text, "Same id; its reminders follow the new date.")


def _snoozed(r: o.Snoozed) -> Reply:
    dl = r.deadline
    return _ok(
        f"Snoozed `{escape_mrkdwn(dl.id)}`: no reminder before {fmt_date(r.until)}"
        f"{_typed(r.typed, r.until)}: {escape_mrkdwn(cut(dl.due or dl.sentence, 300))}.",
        "The same as the reminder's Snooze button.",
    )


def _past(r: o.PastDate) -> Reply:
    return error_reply(
        f"{fmt_date(r.on)} is in the past (today is {fmt_date(r.today)}); "
        "a new deadline needs today or a later date."
    )


def _already_done(r: o.AlreadyDone) -> Reply:
    dl = r.deadline
    who = f" by {fmt_who(dl.done_by)}" if dl.done_by else ""
    return _mrkdwn_error(f"`{escape_mrkdwn(dl.id)}` is already done{who}.")


def _done(r: o.DeadlineDone) -> Reply:
    dl = r.deadline
    return _ok(
        f"`{dl.id}` is done: {escape_mrkdwn(cut(dl.due or dl.sentence, 300))}. "
        "No more reminders for it."
    )


def _removed(r: o.DeadlineRemoved) -> Reply:
    dl = r.deadline
    return _ok(
        f"Removed `{dl.id}`: {escape_mrkdwn(cut(dl.due or dl.sentence, 300))}.",
        f"It stays in `/brs history {escape_mrkdwn(dl.activity)}`.",
    )


def _event(r: o.EventMoved) -> Reply:
    was = f" (was {fmt_date(r.before)})" if r.before and r.before != r.on else ""
    lines = "\n".join(
        f"• `{escape_mrkdwn(d.id)}` {_when(on, r.today)} — {escape_mrkdwn(cut(d.due, 120))}"
        for d, on in r.moved
    )
    text = f"{escape_mrkdwn(r.name)} is on {fmt_date(r.on)}{was}."
    if r.created:
        text = (
            f"New event {escape_mrkdwn(r.name)} on {fmt_date(r.on)}. Deadlines can follow it: "
            f"`/brs deadline add S17 90 days before {escape_mrkdwn(r.name)} Publish the report`"
        )
    if r.moved:
        text += f" Deadlines that depend on it, and their reminders, move with it:\n{lines}"
    return _ok(text)


def _event_removed(r: o.EventRemoved) -> Reply:
    name = escape_mrkdwn(r.name)
    return _ok(
        f"Removed the event {name} ({fmt_date(r.on)}).", f"`/brs undo {name}` brings it back"
    )


def _reminders(r: o.Reminders) -> Reply:
    note = schedule_note(r.settings)
    if r.changed and not r.channel:
        return _ok("Reminders are off. `/brs remind here` in a channel turns them on there.")
    if r.changed:
        where = "here in the console" if r.console else f"to <#{r.channel}>"
        if not r.console:
            note += " I must be a member of the channel: `/invite @brs`."
        return _ok(f"Reminders now go {where}.", note)
    if not r.channel:
        text = "Reminders are off. Editors turn them on with `/brs remind here` in a channel."
    elif r.console:
        text = "Reminders print here in the console."
    else:
        text = f"Reminders go to <#{r.channel}>."
    return _ok(text, note)


# --- update, set, edit, undo --------------------------------------------------------------


def _status_added(r: o.StatusAdded) -> Reply:
    several = f", request {r.row + 1} of {r.rows}" if r.rows > 1 else ""
    code = escape_mrkdwn(r.code)
    note = f"`/brs {code}` shows the card · `/brs undo {code}` takes it back"
    if r.rows > 1 and not r.row_given:
        note += f" · `/brs update {code}.2 …` adds to request 2 instead"
    return _ok(f"Added to *{code}* · Status of implementation{several}:\n{quoted(r.line)}", note)


def _funding_set(r: o.FundingSet) -> Reply:
    code = escape_mrkdwn(r.code)
    which = f" (request {r.row + 1})" if r.rows > 1 else ""
    now = FUNDING_LABELS[r.status]
    if not r.changed:
        return _ok(f"*{code}*{which} is already {now}; nothing changed.")
    was = f" (was {FUNDING_LABELS.get(r.before, r.before)})" if r.before != r.status else ""
    note_text = f"\n{quoted(r.note)}" if r.note else ""
    undo = f"`/brs undo {code}` takes it back"
    return _ok(f"*{code}*{which} is now {now}{was}.{note_text}", undo)


def _open_form(r: o.OpenForm) -> Reply:
    a = r.activity
    try:
        view = edit_view(a, r.seq)
    except ValueError as e:  # more decision requests than one form holds
        return error_reply(f"{e}: use /brs update {a.code}.N and /brs set {a.code}.N.")
    code = escape_mrkdwn(a.code)
    text = (
        f"The form for *{code}* opens in Slack when you type `/brs edit {code}` as a slash "
        f"command. Here, use `/brs update {code} &lt;text&gt;` and "
        f"`/brs set {code} funding &lt;not-yet|partly|fully|none&gt; [note]`."
    )
    return OpenModal(fit([section(text)]), f"Edit {code}", view)


def _undone(r: o.Undone) -> Reply:
    first = r.records[0]
    said = describe_state(list(r.records), r.rows, redo=r.redo)
    lines = "\n".join(f"• {line}" for line in said[:10])
    more = f"\n… and {len(said) - 10} more" if len(said) > 10 else ""
    who = "the import" if first.user == "import" else fmt_who(first.user)
    code = escape_mrkdwn(r.code)
    verb = "Redid" if r.redo else "Undid"
    head = f"{verb} the change {who} made to *{code}* on {fmt_when(first.at)}. Now:"
    note = f"`/brs undo {code}` takes back the one before · `/brs redo {code}` puts it back"
    if r.redo:
        note = f"`/brs undo {code}` takes it back again · `/brs redo {code}` redoes the next"
    if r.records[0].kind != "event":
        note += f" · `/brs history {code}` shows every change"
    return _ok(f"{head}\n{lines}{more}", note)


def _nothing_to_redo(r: o.NothingToRedo) -> Reply:
    if r.changed_since:
        return error_reply(
            f"{r.code} changed since the last undo, so there is nothing to redo "
            f"(/brs undo {r.code} takes back the newest change)."
        )
    return error_reply(f"Nothing to redo on {r.code}: redo puts back what /brs undo took back.")


def _nothing_to_undo(r: o.NothingToUndo) -> Reply:
    return error_reply(
        f"{r.code} has not changed since it was imported on {fmt_date(r.imported)}; "
        "nothing to undo."
    )


# bot.render.results.render() dispatches on these too: one renderer for results and outcomes.
RENDERERS: dict[type, Callable[[Any], Reply]] = {
    o.Problem: lambda r: error_reply(r.message),
    o.Refused: _refused,
    o.DeadlineAdded: _added,
    o.DeadlineMoved: _moved,
    o.Snoozed: _snoozed,
    o.PastDate: _past,
    o.AlreadyDone: _already_done,
    o.DeadlineDone: _done,
    o.DeadlineRemoved: _removed,
    o.EventMoved: _event,
    o.EventRemoved: _event_removed,
    o.Reminders: _reminders,
    o.StatusAdded: _status_added,
    o.FundingSet: _funding_set,
    o.OpenForm: _open_form,
    o.Undone: _undone,
    o.NothingToUndo: _nothing_to_undo,
    o.NothingToRedo: _nothing_to_redo,
    **owners.RENDERERS,  # owners and the calendar's address
}
