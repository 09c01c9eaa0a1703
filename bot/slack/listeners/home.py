"""App Home: the dashboard when the tab opens; Details, Edit and page buttons on it.

A Home tab has no channel and no response_url, so Details and Edit open modals with the
click's trigger_id (valid for 3 seconds: right after the ack).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.changes.editors import check
from bot.render import cut
from bot.render.form import edit_view, message_view
from bot.render.home import DETAILS, DETAILS_MODAL, EDIT, PAGE
from bot.slack.failures import number, text
from bot.slack.home import HomeRefresher
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.messages import public_blocks

log = logging.getLogger(__name__)


def register(app: App, deps: Deps, home: HomeRefresher) -> None:
    def opened(event: dict) -> None:
        if event.get("tab") == "home":
            user = text(event, "user")
            page = home.seen(user)
            deps.followups.later(lambda: home.publish(user, page), "home")

    def turn(ack: Callable, body: dict, action: dict) -> None:
        user = text(body, "user", "id")
        page = home.seen(user, number(action.get("value"), "the page"))
        ack()
        deps.followups.later(lambda: home.publish(user, page), "home page")

    def details(ack: Callable, body: dict, action: dict, client: WebClient) -> None:
        ack()
        code = str(action.get("value") or "")
        reply = deps.answer(f"{code} brief")  # the compact card; its button pushes the full one
        view = {
            "type": "modal",
            "callback_id": DETAILS_MODAL,
            "title": {"type": "plain_text", "text": cut(f"Details {code}", 24)},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": public_blocks(reply),
        }
        _open(deps, client, body, view)

    def edit(ack: Callable, body: dict, action: dict, client: WebClient) -> None:
        ack()
        user, code = text(body, "user", "id"), str(action.get("value") or "")
        a = deps.store.activity(code)
        # BRS_EDITORS or the activity's owners may have changed since it showed
        if refused := check(deps.settings, user, store=deps.store, code=a.code if a else None):
            view = message_view("Not an editor or owner", refused.why, refused.how_to_fix)
        elif a is None:
            view = message_view("Not found", f"{code} was removed meanwhile; nothing to edit.")
        else:
            last = deps.store.last_change(a.code)
            try:
                view = edit_view(a, last.seq if last else 0)
            except ValueError as e:  # more decision requests than one form holds
                view = message_view(f"Edit {a.code}", f"{e}: use `/brs update {a.code}`.")
        _open(deps, client, body, view)

    app.event("app_home_opened")(opened)
    app.action(re.compile(f"^{PAGE}:"))(turn)
    app.action(DETAILS)(details)
    app.action(re.compile(f"^{EDIT}:"))(edit)


def _open(deps: Deps, client: WebClient, body: dict, view: dict) -> None:
    """views.open on the form pool, right after the ack: the trigger_id lasts 3 seconds."""
    trigger, user = text(body, "trigger_id"), text(body, "user", "id")

    def show() -> None:
        try:
            client.views_open(trigger_id=trigger, view=view)
        except (SlackClientError, OSError) as e:  # an expired trigger_id, or Slack unreachable
            log.warning("home: views.open for %s failed: %s", user, e)

    deps.followups.form(show, "home form")
