"""The one `/brs` slash command listener: answers in the ack; files and forms follow it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.exports.files import build
from bot.grammar import CommandError
from bot.grammar.files import FileRequest, requested
from bot.render.blocks import OpenModal, error_reply
from bot.render.files import preparing
from bot.slack.failures import text as field
from bot.slack.followups import BUSY
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.views import open_form
from bot.slack.refusals import why
from bot.slack.uploads import upload
from store.requests import Replayed

log = logging.getLogger(__name__)

COMMAND = "/brs"
_EPHEMERAL: dict[str, Any] = {"response_type": "ephemeral", "replace_original": False}
REPLAYED = "This exact request was already handled; nothing was done again."


def register(app: App, deps: Deps) -> None:
    app.command(COMMAND)(make_brs(deps))


def replay_key(request: BoltRequest | None) -> str | None:
    """Slack's timestamp and signature of an HTTP request: an exact replay repeats both."""
    if request is None:
        return None
    ts, sig = (
        request.headers.get(h, [None])[0]
        for h in ("x-slack-request-timestamp", "x-slack-signature")
    )
    return f"cmd:{ts}:{sig}" if ts and sig else None  # Socket Mode carries neither


def make_brs(deps: Deps) -> Callable[..., None]:
    def brs(
        ack: Callable[..., None],
        command: dict,
        client: WebClient | None = None,
        respond: Respond | None = None,
        request: BoltRequest | None = None,
    ) -> None:
        text = command.get("text") or ""
        if not isinstance(text, str):
            text = ""
        user, channel = command.get("user_id"), command.get("channel_id")
        try:
            wanted = requested(text)
        except CommandError as e:
            reply = error_reply(str(e))
            ack(blocks=reply.blocks, text=reply.text, response_type="ephemeral")
            return
        if wanted is not None:
            # Drawing and uploading take longer than Slack's 3 seconds: after the ack.
            where = field(command, "channel_id")
            assert client is not None and respond is not None  # Bolt passes both to commands
            work = lambda: send_file(deps, client, respond, wanted, user, where)  # noqa: E731
            if deps.followups.later(work, f"/brs {wanted.text}"):
                ack(text=preparing(wanted), response_type="ephemeral")
            else:
                ack(text=BUSY, response_type="ephemeral")
            return
        try:
            # The core answers from memory in well under a millisecond, so the reply is the
            # ack; a change is committed (fsynced) before it, with this request's key in the
            # same history batch: an exact replay finds the key and changes nothing.
            name = command.get("user_name")  # signs status lines; the history keeps the ID
            with deps.store.requests.answering(replay_key(request)):
                reply = deps.answer(text, user=user, channel=channel, name=name)
        except Replayed:
            log.warning("/brs from %s: a replayed request, not applied again", user)
            ack(text=REPLAYED, response_type="ephemeral")
            return
        if isinstance(reply, OpenModal):  # `/brs edit`: open the form while the trigger is fresh
            trigger = field(command, "trigger_id")
            assert client is not None and respond is not None
            ack()
            deps.followups.form(lambda: open_form(client, trigger, reply.view, respond), "form")
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
