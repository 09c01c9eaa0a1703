"""The `/brs` slash command: answered inside the ack, as an ephemeral reply."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.render.blocks import OpenModal
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.views import open_form

COMMAND = "/brs"


def register(app: App, deps: Deps) -> None:
    app.command(COMMAND)(make_brs(deps))


def make_brs(deps: Deps) -> Callable[..., None]:
    def brs(
        ack: Callable[..., None],
        command: dict,
        client: WebClient | None = None,
        respond: Respond | None = None,
    ) -> None:
        # The core answers from memory in well under a millisecond, so the reply is the ack.
        user, channel = command.get("user_id"), command.get("channel_id")
        name = command.get("user_name")  # signs status lines; the history keeps the user ID
        reply = deps.answer(command.get("text") or "", user=user, channel=channel, name=name)
        if isinstance(reply, OpenModal):  # `/brs edit`: open the form while the trigger is fresh
            ack()
            open_form(client, command["trigger_id"], reply.view, respond)  # type: ignore[arg-type]
            return
        ack(blocks=reply.blocks, text=reply.text, response_type="ephemeral")

    return brs
