"""Modals: `/brs edit` opens the form (views.open); its submission is checked and committed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.changes.edits import refusal_parts
from bot.changes.form import read_metadata, submit
from bot.changes.owners import may_change, owner_refusal
from bot.render.form import CALLBACK_ID, message_view
from bot.slack.listeners.deps import Deps

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    app.view(CALLBACK_ID)(make_submit(deps))


def open_form(client: WebClient, trigger_id: str, view: dict, respond: Respond) -> None:
    """Open the form; called right after the ack, since a trigger_id lasts 3 seconds."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except (SlackApiError, OSError) as e:
        log.warning("views.open failed: %s", e)
        respond(
            text="Slack would not open the form; try `/brs edit` again in a moment.",
            response_type="ephemeral",
        )


def make_submit(deps: Deps) -> Callable[..., None]:
    def on_submit(ack: Callable[..., None], body: dict, view: dict) -> None:
        user = body["user"]["id"]
        built = read_metadata(view.get("private_metadata"))
        code = built.code if built else None
        # BRS_EDITORS or the owners may have changed since it opened.
        if not may_change(deps.store, deps.settings, user, code):
            text, how = refusal_parts(deps.settings)
            text = owner_refusal(deps.store, code, text) if code else text
            ack(response_action="update", view=message_view("Not saved", text, how))
            return
        # The commit is durable before the ack: an acknowledged save is never lost.
        ack(**submit(deps.store, view, user))

    return on_submit
