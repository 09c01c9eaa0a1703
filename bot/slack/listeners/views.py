"""Modals: `/brs edit` opens the form (views.open); its submission is checked and committed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.changes.form import submit
from bot.render.form import CALLBACK_ID, form_ack
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
        # The commit is durable before the ack: an acknowledged save is never lost.
        ack(**form_ack(submit(deps.store, view, body["user"]["id"], deps.settings)))

    return on_submit
