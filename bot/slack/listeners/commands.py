"""The one `/brs` slash command listener: answers in the ack; files and forms follow it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.exports.files import build
from bot.grammar import CommandError
from bot.grammar.files import FileRequest, requested
from bot.render.blocks import OpenModal, error_reply
from bot.render.files import preparing
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.views import open_form
from bot.slack.refusals import why
from bot.slack.uploads import upload

log = logging.getLogger(__name__)

COMMAND = "/brs"
_EPHEMERAL: dict[str, Any] = {"response_type": "ephemeral", "replace_original": False}


def register(app: App, deps: Deps) -> None:
    app.command(COMMAND)(make_brs(deps))


def make_brs(deps: Deps) -> Callable[..., None]:
    def brs(
        ack: Callable[..., None],
        command: dict,
        client: WebClient | None = None,
        respond: Respond | None = None,
    ) -> None:
        text = command.get("text") or ""
        user, channel = command.get("user_id"), command.get("channel_id")
        try:
            request = requested(text)
        except CommandError as e:
            reply = error_reply(str(e))
            ack(blocks=reply.blocks, text=reply.text, response_type="ephemeral")
            return
        if request is not None:
            # Drawing and uploading take longer than Slack's 3 seconds: ack first.
            ack(text=preparing(request), response_type="ephemeral")
            send_file(deps, client, respond, request, user, command["channel_id"])  # type: ignore[arg-type]
            return
        # The core answers from memory in well under a millisecond, so the reply is the ack.
        name = command.get("user_name")  # signs status lines; the history keeps the user ID
        reply = deps.answer(text, user=user, channel=channel, name=name)
        if isinstance(reply, OpenModal):  # `/brs edit`: open the form while the trigger is fresh
            ack()
            open_form(client, command["trigger_id"], reply.view, respond)  # type: ignore[arg-type]
            return
        ack(blocks=reply.blocks, text=reply.text, response_type="ephemeral")

    return brs


def send_file(
    deps: Deps,
    client: WebClient,
    respond: Respond,
    request: FileRequest,
    user: str | None,
    channel: str,
) -> None:
    """Make the file and upload it; a failure is told to the asker only."""
    try:
        out = build(deps.store, request, now=deps.clock(), today=deps.today())
    except Exception:
        log.exception("/brs %s: could not make the file", request.text)
        respond(text="Sorry, I could not make that file; the log says why.", **_EPHEMERAL)
        return
    try:
        upload(client, channel, out, user=user)
    except (SlackClientError, OSError) as e:  # OSError: still unreachable after retries
        log.warning("/brs %s: upload to %s failed: %s", request.text, channel, e)
        respond(text=f"Could not upload {out.filename}. {why(e, 'upload')}", **_EPHEMERAL)
