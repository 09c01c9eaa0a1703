"""Buttons: "Share in channel" posts the card for everyone, after the ack, exactly once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render import Reply
from bot.render.card import FULL_CARD
from bot.slack.failures import text
from bot.slack.listeners import reminders
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.messages import SHARE, is_shareable, public_blocks
from bot.slack.posting import UNCLEAR, NotConfirmed, OncePoster, post_metadata
from bot.slack.refusals import why

log = logging.getLogger(__name__)

# A new message only the sharer sees; the card they shared from stays for another try.
_EPHEMERAL: dict[str, Any] = {"response_type": "ephemeral", "replace_original": False}
_REPLACE: dict[str, Any] = {"response_type": "ephemeral", "replace_original": True}
UNSURE = (
    "Slack did not confirm the share and I could not check the channel: look there before "
    "sharing again."
)


def register(app: App, deps: Deps) -> None:
    app.action(SHARE)(make_share(deps))
    app.action(FULL_CARD)(make_full_card(deps))
    reminders.register(app, deps)  # Done, Snooze, Details on posted reminders


def post(poster: OncePoster, channel: str, reply: Reply, user: str, key: str) -> str | None:
    """Post the card for everyone, with a byline; None when posted, else why it was not."""
    try:
        poster.post(
            channel,
            metadata=post_metadata(key),
            blocks=public_blocks(reply, shared_by=user),
            text=reply.text,
        )
    except NotConfirmed as e:
        log.warning("share in %s unconfirmed: %s", channel, e)
        return UNSURE
    except (SlackApiError, *UNCLEAR) as e:
        log.warning("share in %s failed: %s", channel, e)
        return why(e, "post")
    return None


def make_share(deps: Deps) -> Callable[..., None]:
    def share(ack: Callable, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        channel, user = _channel(body), text(body, "user", "id")
        text(body, "response_url")  # the replies below go there
        reply = deps.answer(str(action.get("value") or ""))  # a read: in the ack's time
        # One key per click: Slack's retry of the same click finds the first post.
        key = f"share:{channel}:{user}:{action.get('action_ts') or ''}"
        poster = deps.poster or OncePoster(client)

        def send() -> None:
            if not is_shareable(reply):  # the activity went away since: say so, post nothing
                respond(blocks=reply.blocks, text=reply.text, **_EPHEMERAL)
            elif problem := post(poster, channel, reply, user, key):
                respond(text=f"Could not share in <#{channel}>. {problem}", **_EPHEMERAL)
            else:  # the ephemeral card gives way to a note, so it cannot be shared twice
                respond(text=f"Shared in <#{channel}>.", **_REPLACE)

        ack()
        if not deps.followups.later(send, "share"):
            respond(
                text=f"Could not share in <#{channel}>: I am busy; try again in a minute.",
                **_EPHEMERAL,
            )

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
    channel = body.get("channel")
    if isinstance(channel, dict) and isinstance(channel.get("id"), str):
        return channel["id"]
    return text(body, "container", "channel_id")
