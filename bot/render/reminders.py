"""Block Kit for what the scheduler posts: a reminder with its buttons, and the Monday digest."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot import queries as q
from bot.render.blocks import actions, button, context, cut, escape_mrkdwn, fit, header, section
from bot.render.format import due_line, fmt_date, fmt_days
from jobs.outbox import Message

# Message metadata names what was posted, so a restart can find it in the channel.
REMINDER_EVENT = "brs_reminder"
DIGEST_EVENT = "brs_digest"
# Buttons on a reminder; the value is the deadline id (Details: the activity code).
DONE = "reminder_done"
SNOOZE_DAY = "reminder_snooze_day"
SNOOZE_WEEK = "reminder_snooze_week"
DETAILS = "reminder_details"
SNOOZE_DAYS = {SNOOZE_DAY: 1, SNOOZE_WEEK: 7}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DIGEST_MORE = "the rest: /brs deadlines and /brs funding not-yet"


def day_name(d: date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {fmt_date(d)}"


def fmt_instant(at: datetime) -> str:
    return f"{day_name(at.date())} {at:%H:%M} {at.tzname()}"


def late_note(due_at: datetime) -> str:
    # Late after downtime, or after Slack refused it for a while; either way, when it was due.
    return f"_Posted late: this was due {fmt_instant(due_at)}._"


def reminder_message(
    *,
    key: str,
    deadline: Any,
    on: date,
    lead: int | None,
    title: str,
    today: date,
    due_at: datetime,
    late: bool,
) -> Message:
    """One reminder: which activity, what is due, when, days left; Done, Snooze, Details."""
    dl = deadline
    what = escape_mrkdwn(cut(" ".join((dl.due or dl.sentence).split()), 500))
    days = (on - today).days
    when = f"*{day_name(on)}*"
    if dl.event:
        when += f" ({escape_mrkdwn(dl.rule)})"
    if lead is None:
        head = f":warning: *Overdue* · *{escape_mrkdwn(dl.activity)}* {escape_mrkdwn(title)}"
        line = f"Was due {when} · *{fmt_days(days)}*"
    else:
        head = f":alarm_clock: *Reminder* · *{escape_mrkdwn(dl.activity)}* {escape_mrkdwn(title)}"
        line = f"Due {when} · *{fmt_days(days)}*"
    rule = "the day after" if lead is None else f"{lead} day{'s' if lead != 1 else ''} before"
    if lead == 0:
        rule = "on the day"
    if lead is not None and (on - today).days > lead:  # it would have fallen at the weekend
        rule += ", brought forward to a working day"
    sentence = escape_mrkdwn(cut(" ".join(dl.sentence.split()), 600))
    about = f"`{escape_mrkdwn(dl.id)}` · reminder {rule} · “{sentence}”"
    blocks = [section(f"{head}\n*{what}*\n{line}"), context(about)]
    if late:
        blocks.append(context(late_note(due_at)))
    blocks.append(_buttons(dl.id, dl.activity))
    overdue = "overdue" if lead is None else "due"
    text = f"{dl.id} {overdue} {fmt_date(on)} ({fmt_days(days)}): {cut(what, 200)}"
    payload = {"key": key, "on": on.isoformat(), "deadline": dl.id}
    metadata = {"event_type": REMINDER_EVENT, "event_payload": payload}
    return Message(fit(blocks), text, metadata)


def _buttons(deadline_id: str, code: str) -> dict:
    return actions(
        button("Done", DONE, deadline_id, style="primary"),
        button("Snooze 1 day", SNOOZE_DAY, deadline_id),
        button("Snooze 1 week", SNOOZE_WEEK, deadline_id),
        button("Details", DETAILS, code),
        block_id="reminder_actions",
    )


NOTE_BLOCK = "reminder_note"


def settled(blocks: list[dict], note: str, *, keep_buttons: bool = False) -> list[dict]:
    """The reminder after Done (buttons gone) or Snooze (buttons kept): a note of who did what.

    A later note replaces an earlier one, so snoozing twice does not pile notes up.
    """
    body = [b for b in blocks if b.get("type") != "actions" and b.get("block_id") != NOTE_BLOCK]
    buttons = [b for b in blocks if b.get("type") == "actions"] if keep_buttons else []
    return [*body, context(note, block_id=NOTE_BLOCK), *buttons]


def digest_message(
    *,
    monday: date,
    deadlines: q.DeadlineList,
    unfunded: tuple[q.FundingEntry, ...],
    due_at: datetime,
    late: bool,
) -> Message:
    """Mondays: overdue, due in the next 30 days, activities not yet funded."""
    blocks = [header(f"Weekly digest · {day_name(monday)}")]
    if late:
        blocks.append(context(late_note(due_at)))
    parts = (
        ("Overdue", deadlines.overdue, "Nothing overdue."),
        ("Due in the next 30 days", deadlines.upcoming, "Nothing due in the next 30 days."),
    )
    for label, dues, empty in parts:
        lines = "\n".join(due_line(d, with_activity=True) for d in dues)
        body = f"*{label}* ({len(dues)})\n{lines}" if dues else f"*{label}*\n{empty}"
        blocks.append(section(body))
    funding = "\n".join(
        f"• *{escape_mrkdwn(e.code)}* {escape_mrkdwn(cut(e.title, 120))}" for e in unfunded
    )
    body = f"*Not yet funded* ({len(unfunded)})\n{funding}"
    if not unfunded:
        body = "*Not yet funded*\nNone."
    blocks.append(section(body))
    text = (
        f"Weekly digest: {len(deadlines.overdue)} overdue, {len(deadlines.upcoming)} due in "
        f"30 days, {len(unfunded)} not yet funded"
    )
    payload = {"key": "digest", "on": monday.isoformat()}
    metadata = {"event_type": DIGEST_EVENT, "event_payload": payload}
    return Message(fit(blocks, more=DIGEST_MORE), text, metadata)
