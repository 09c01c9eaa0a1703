"""The `/brs` slash command: answered inside the ack, as an ephemeral reply."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from bot.listeners.deps import Deps

COMMAND = "/brs"


def register(app: App, deps: Deps) -> None:
    app.command(COMMAND)(make_brs(deps))


def make_brs(deps: Deps) -> Callable[..., None]:
    def brs(ack: Callable[..., None], command: dict) -> None:
        # The core answers from memory in well under a millisecond, so the reply is the ack.
        user, channel = command.get("user_id"), command.get("channel_id")
        reply = deps.answer(command.get("text") or "", user=user, channel=channel)
        ack(blocks=reply.blocks, text=reply.text, response_type="ephemeral")

    return brs
