"""Buttons: "Share in channel" posts the card for everyone, after the ack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render import Reply
from bot.render.card import FULL_CARD
from bot.slack.listeners import reminders
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.messages import SHARE, is_shareable, public_blocks
from bot.slack.refusals import why

log = logging.getLogger(__name__)

# A new message only the sharer sees; the card they shared from stays for another try.
_EPHEMERAL: dict[str, Any] = {"response_type": "ephemeral", "replace_original": False}
_REPLACE: dict[str, Any] = {"response_type": "ephemeral", "replace_original": True}


def register(app: App, deps: Deps) -> None:
    app.action(SHARE)(make_share(deps))
    app.action(FULL_CARD)(make_full_card(deps))
    reminders.register(app, deps)  # Done, Snooze, Details on posted reminders


def post(client: WebClient, channel: str, reply: Reply, user: str) -> str | None:
    """Post the card for everyone, with a byline; None when posted, else why it was not."""
    try:
        client.chat_postMessage(
            channel=channel, blocks=public_blocks(reply, shared_by=user), text=reply.text
        )
    except (SlackApiError, OSError) as e:  # OSError: still unreachable after retries
        log.warning("share in %s failed: %s", channel, e)
        return why(e, "post")
    return None


def make_share(deps: Deps) -> Callable[..., None]:
    def share(ack: Callable, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()  # Slack's 3 seconds start now; the post below may wait for retries.
        channel = _channel(body)
        reply = deps.answer(action.get("value") or "")
        if not is_shareable(reply):  # the activity went away since: say so, post nothing
            respond(blocks=reply.blocks, text=reply.text, **_EPHEMERAL)
        elif problem := post(client, channel, reply, body["user"]["id"]):
            respond(text=f"Could not share in <#{channel}>. {problem}", **_EPHEMERAL)
        else:  # the ephemeral card gives way to a note, so it cannot be shared twice by mistake
            respond(text=f"Shared in <#{channel}>.", **_REPLACE)

    return share


def make_full_card(deps: Deps) -> Callable[..., None]:
    """The compact card's "Full card": to the presser only; on top of a modal when in one."""

    def full(ack: Callable, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        reply = deps.answer(action.get("value") or "")
        if not body.get("view"):
            respond(blocks=reply.blocks, text=reply.text, **_EPHEMERAL)
            return
        view = {
            "type": "modal",
            "title": {"type": "plain_text", "text": "Full card"},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": public_blocks(reply),
        }
        try:
            client.views_push(trigger_id=body["trigger_id"], view=view)
        except (SlackApiError, OSError) as e:  # an expired trigger_id, or Slack unreachable
            log.warning("full card for %s failed: %s", body["user"]["id"], e)

    return full


def _channel(body: dict) -> str:
    return (body.get("channel") or {}).get("id") or body["container"]["channel_id"]
