"""Buttons on a posted reminder: Done and Snooze (editors only), Details (anyone)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.changes.deadlines import mark_done
from bot.changes.editors import check
from bot.render import escape_mrkdwn, fmt_who
from bot.render.reminders import DETAILS, DONE, SNOOZE_DAYS, day_name, fmt_instant, settled
from bot.slack.failures import text
from bot.slack.listeners.deps import Deps
from jobs.ledger import Ledger

log = logging.getLogger(__name__)

_EPHEMERAL: dict[str, Any] = {"response_type": "ephemeral", "replace_original": False}
SNOOZE = re.compile("^(" + "|".join(SNOOZE_DAYS) + ")$")


def register(app: App, deps: Deps) -> None:
    app.action(DONE)(make_done(deps))
    app.action(SNOOZE)(make_snooze(deps))
    app.action(DETAILS)(make_details(deps))


def _where(body: dict) -> tuple[str, str]:
    """The reminder's channel and ts."""
    channel, message = body.get("channel"), body.get("message")
    where = channel.get("id") if isinstance(channel, dict) else None
    ts = message.get("ts") if isinstance(message, dict) else None
    return (
        where if isinstance(where, str) else text(body, "container", "channel_id"),
        ts if isinstance(ts, str) else text(body, "container", "message_ts"),
    )


def _blocks(body: dict) -> list[dict]:
    message = body.get("message")
    blocks = message.get("blocks") if isinstance(message, dict) else None
    return [b for b in blocks if isinstance(b, dict)] if isinstance(blocks, list) else []


def _update(deps: Deps, client: WebClient, body: dict, blocks: list, respond: Respond) -> None:
    """chat.update after the ack; the change itself is already saved."""
    channel, ts = _where(body)
    message = body.get("message")
    words = (message.get("text") if isinstance(message, dict) else None) or "Reminder"

    def send() -> None:
        try:
            client.chat_update(channel=channel, ts=ts, blocks=blocks, text=str(words))
        except (SlackApiError, OSError) as e:  # the change is saved; only the message is stale
            log.warning("reminder %s in %s: update failed: %s", ts, channel, e)
            respond(text="Saved, but I could not update the reminder message.", **_EPHEMERAL)

    deps.followups.later(send, "reminder update")


def _tell(deps: Deps, respond: Respond, **note: Any) -> None:
    deps.followups.later(lambda: respond(**note, **_EPHEMERAL), "note")


def _replies(body: dict) -> None:
    """A click on a channel message always has a response_url; the notes go there."""
    text(body, "response_url")


def _refused(deps: Deps, body: dict, respond: Respond, deadline_id: str) -> bool:
    dl = deps.store.deadline(deadline_id)
    code = dl.activity if dl is not None else None  # editors and the activity's owners
    refused = check(deps.settings, text(body, "user", "id"), store=deps.store, code=code)
    if refused is None:
        return False
    _tell(deps, respond, text=refused.why)
    return True


def make_done(deps: Deps) -> Callable[..., None]:
    def done(ack: Callable, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        _replies(body)
        if _refused(deps, body, respond, str(action.get("value") or "")):
            return
        user, dl = text(body, "user", "id"), deps.store.deadline(str(action.get("value") or ""))
        if dl is None:
            _tell(deps, respond, text="That deadline was removed meanwhile; nothing to do.")
            return
        if dl.done:
            note = f":white_check_mark: Done — marked by {fmt_who(dl.done_by)}"
        else:
            now = deps.clock()
            mark_done(deps.store, dl, user, now)  # in the history; its reminders stop
            when = fmt_instant(now.astimezone(deps.settings.tz))
            note = f":white_check_mark: Done — marked by {fmt_who(user)}, {when}"
        _update(deps, client, body, settled(_blocks(body), note), respond)

    return done


def make_snooze(deps: Deps) -> Callable[..., None]:
    def snooze(
        ack: Callable, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        ack()
        _replies(body)
        if _refused(deps, body, respond, str(action.get("value") or "")):
            return
        user, dl = text(body, "user", "id"), deps.store.deadline(str(action.get("value") or ""))
        if dl is None or not dl.is_open:
            _tell(deps, respond, text="That deadline is done or removed; no reminders to snooze.")
            return
        now = deps.clock()
        until = deps.today() + timedelta(days=SNOOZE_DAYS[action["action_id"]])
        Ledger(deps.store).snooze(dl.id, until, user, now)
        note = (
            f":zzz: Snoozed by {fmt_who(user)}: no reminder for `{escape_mrkdwn(dl.id)}` "
            f"before {day_name(until)}."
        )
        blocks = settled(_blocks(body), note, keep_buttons=True)
        _update(deps, client, body, blocks, respond)

    return snooze


def make_details(deps: Deps) -> Callable[..., None]:
    def details(ack: Callable, body: dict, action: dict, respond: Respond) -> None:
        ack()
        _replies(body)
        reply = deps.answer(str(action.get("value") or ""))
        _tell(deps, respond, blocks=reply.blocks, text=reply.text)

    return details
