"""Modals: `/brs edit` opens the form (views.open); its submission is checked and committed."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.changes.form import submit
from bot.render.form import CALLBACK_ID, form_ack
from bot.slack.failures import Unreadable
from bot.slack.failures import text as field
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
        user = field(body, "user", "id")
        check_form(view)
        # The commit is durable before the ack: an acknowledged save is never lost.
        ack(**form_ack(submit(deps.store, view, user, deps.settings)))

    return on_submit


def check_form(view: object) -> None:
    """Unreadable unless `view` has the shape brs's form gives it (bot.render.form.edit_view):
    private_metadata {"code", "seq", "fp": [{field: fingerprint}], "fs": [status]}, and state
    values of {block: {action: {"value" | "selected_option"}}}."""
    if not isinstance(view, dict):
        raise Unreadable("the view is not an object")
    try:
        meta = json.loads(view.get("private_metadata") or "")
    except (TypeError, ValueError):
        raise Unreadable("private_metadata is not JSON") from None
    ok = (
        isinstance(meta, dict)
        and isinstance(meta.get("code"), str)
        and isinstance(meta.get("seq"), int)
        and isinstance(meta.get("fp"), list)
        and isinstance(meta.get("fs"), list)
        and len(meta["fp"]) == len(meta["fs"])
        and all(_strings(fp) for fp in meta["fp"])
        and all(isinstance(fs, str) for fs in meta["fs"])
    )
    if not ok:
        raise Unreadable("private_metadata is not what brs wrote")
    values = (view.get("state") or {}).get("values") if isinstance(view.get("state"), dict) else 0
    if values is None:
        return
    if not isinstance(values, dict) or not all(
        isinstance(actions, dict) and all(_input(v) for v in actions.values())
        for actions in values.values()
    ):
        raise Unreadable("the form's values are not what Slack sends")


def _strings(d: object) -> bool:
    return isinstance(d, dict) and all(isinstance(v, str) for v in d.values())


def _input(v: object) -> bool:
    if not isinstance(v, dict):
        return False
    value, option = v.get("value"), v.get("selected_option")
    return (value is None or isinstance(value, str)) and (
        option is None or (isinstance(option, dict) and isinstance(option.get("value"), str))
    )
