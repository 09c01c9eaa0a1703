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

from bot.changes.deadlines import mark_done, refusal
from bot.changes.owners import may_change, owner_refusal
from bot.render import escape_mrkdwn, fmt_who
from bot.render.reminders import DETAILS, DONE, SNOOZE_DAYS, day_name, fmt_instant, settled
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
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container["channel_id"]
    return channel, (body.get("message") or {}).get("ts") or container["message_ts"]


def _update(client: WebClient, body: dict, blocks: list[dict], respond: Respond) -> None:
    channel, ts = _where(body)
    text = (body.get("message") or {}).get("text") or "Reminder"
    try:
        client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
    except (SlackApiError, OSError) as e:  # the change is saved; only the message is stale
        log.warning("reminder %s in %s: update failed: %s", ts, channel, e)
        respond(text="Saved, but I could not update the reminder message.", **_EPHEMERAL)


def _refused(deps: Deps, body: dict, respond: Respond, deadline_id: str) -> bool:
    dl = deps.store.deadline(deadline_id)  # type: ignore[attr-defined]
    code = dl.activity if dl is not None else None
    if may_change(deps.store, deps.settings, body["user"]["id"], code):  # editors and owners
        return False
    why = refusal(deps.settings)
    respond(text=owner_refusal(deps.store, code, why) if code else why, **_EPHEMERAL)
    return True


def make_done(deps: Deps) -> Callable[..., None]:
    def done(ack: Callable, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        if _refused(deps, body, respond, action.get("value") or ""):
            return
        user, dl = body["user"]["id"], deps.store.deadline(action.get("value") or "")
        if dl is None:
            respond(text="That deadline was removed meanwhile; nothing to do.", **_EPHEMERAL)
            return
        if dl.done:
            note = f":white_check_mark: Done — marked by {fmt_who(dl.done_by)}"
        else:
            now = deps.clock()
            mark_done(deps.store, dl, user, now)  # in the history; its reminders stop
            when = fmt_instant(now.astimezone(deps.settings.tz))
            note = f":white_check_mark: Done — marked by {fmt_who(user)}, {when}"
        blocks = settled((body.get("message") or {}).get("blocks") or [], note)
        _update(client, body, blocks, respond)

    return done


def make_snooze(deps: Deps) -> Callable[..., None]:
    def snooze(
        ack: Callable, body: dict, action: dict, client: WebClient, respond: Respond
    ) -> None:
        ack()
        if _refused(deps, body, respond, action.get("value") or ""):
            return
        user, dl = body["user"]["id"], deps.store.deadline(action.get("value") or "")
        if dl is None or not dl.is_open:
            respond(text="That deadline is done or removed; no reminders to snooze.", **_EPHEMERAL)
            return
        now = deps.clock()
        until = deps.today() + timedelta(days=SNOOZE_DAYS[action["action_id"]])
        Ledger(deps.store).snooze(dl.id, until, user, now)  # type: ignore[arg-type]
        note = (
            f":zzz: Snoozed by {fmt_who(user)}: no reminder for `{escape_mrkdwn(dl.id)}` "
            f"before {day_name(until)}."
        )
        blocks = settled((body.get("message") or {}).get("blocks") or [], note, keep_buttons=True)
        _update(client, body, blocks, respond)

    return snooze


def make_details(deps: Deps) -> Callable[..., None]:
    def details(ack: Callable, action: dict, respond: Respond) -> None:
        ack()
        reply = deps.answer(action.get("value") or "")
        respond(blocks=reply.blocks, text=reply.text, **_EPHEMERAL)

    return details
