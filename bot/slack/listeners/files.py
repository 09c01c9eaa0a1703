"""`/brs export …` and `/brs timeline`: acknowledged at once, the file uploaded after the ack."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.grammar import CommandError
from bot.grammar import files as uploads
from bot.render import error_reply
from bot.slack.listeners.commands import COMMAND
from bot.slack.listeners.deps import Deps

log = logging.getLogger(__name__)

_EPHEMERAL = {"response_type": "ephemeral", "replace_original": False}


def wants_file(command: dict) -> bool:
    """Bolt matcher: this `/brs` asks for a file (or misspells a file command)."""
    try:
        return uploads.requested(command.get("text") or "") is not None
    except CommandError:
        return True


def register(app: App, deps: Deps) -> None:
    # Registered before the read-only /brs listener: Bolt runs the first that matches.
    app.command(COMMAND, matchers=[wants_file])(make_upload(deps))


def make_upload(deps: Deps) -> Callable[..., None]:
    def upload(
        ack: Callable[..., None], command: dict, client: WebClient, respond: Respond
    ) -> None:
        try:
            request = uploads.requested(command.get("text") or "")
        except CommandError as e:
            reply = error_reply(str(e))
            ack(blocks=reply.blocks, text=reply.text, response_type="ephemeral")
            return
        assert request is not None  # the matcher saw to it
        # Drawing and uploading take longer than Slack's 3 seconds: ack first.
        ack(text=uploads.preparing(request), response_type="ephemeral")
        user, channel = command.get("user_id"), command["channel_id"]
        try:
            out = uploads.build(deps.store, request, now=deps.clock(), today=deps.today())
        except Exception:
            log.exception("/brs %s: could not make the file", request.text)
            respond(text="Sorry, I could not make that file; the log says why.", **_EPHEMERAL)
            return
        try:
            uploads.upload(client, channel, out, user=user)
        except (SlackClientError, OSError) as e:  # OSError: still unreachable after retries
            log.warning("/brs %s: upload to %s failed: %s", request.text, channel, e)
            respond(text=f"Could not upload {out.filename}. {uploads.why(e)}", **_EPHEMERAL)

    return upload
