"""When a listener cannot finish: a short message to the person, one line or a traceback logged.

Three kinds, told apart by type: a payload that is not what Slack sends (`Unreadable`: a
crafted private_metadata or page value, a missing field) gets "this form cannot be read"
and a one-line warning; a write the store refused (StoreError: disk full, history gone)
gets "Not saved: <reason>"; anything else is a bug, logged with its traceback, and the
person is told that it did not work. Never a bare HTTP 500.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse

from bot.render import escape_mrkdwn
from bot.render.form import message_view
from bot.slack.followups import FollowUps
from store.storage import StoreError

log = logging.getLogger(__name__)

UNREADABLE = "This form cannot be read, so nothing was changed; open it again from brs."
FAILED = "Sorry, that did not work on my side; nothing more was done. The log says why."


class Unreadable(ValueError):
    """A signed payload without what Slack always sends; the message names what is missing."""


def need(data: Any, *path: str | int) -> Any:
    """`data[path[0]][path[1]]...`, or Unreadable naming the path."""
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            raise Unreadable(f"no {'.'.join(map(str, path))}") from None
    if data is None:
        raise Unreadable(f"no {'.'.join(map(str, path))}")
    return data


def text(data: Any, *path: str | int) -> str:
    """A required string field."""
    value = need(data, *path)
    if not isinstance(value, str):
        raise Unreadable(f"{'.'.join(map(str, path))} is not text")
    return value


def number(raw: Any, what: str, *, low: int = 0, high: int = 10_000) -> int:
    """A small whole number such as a page, or Unreadable."""
    try:
        value = int(str(raw if raw not in (None, "") else 0))
    except ValueError:
        raise Unreadable(f"{what} is not a number") from None
    if not low <= value <= high:
        raise Unreadable(f"{what} is out of range")
    return value


def saying(error: Exception) -> str:
    """What the person is told about `error`."""
    if isinstance(error, Unreadable):
        return UNREADABLE
    if isinstance(error, StoreError):
        return f"Not saved: {escape_mrkdwn(str(error))}"
    return FAILED


def _in_bolt(error: BaseException) -> bool:
    """Raised inside slack_bolt itself (not in a listener or in slack_sdk's calls)."""
    tb, last = error.__traceback__, None
    while tb is not None:
        last, tb = tb, tb.tb_next
    return last is not None and f"{os.sep}slack_bolt{os.sep}" in last.tb_frame.f_code.co_filename


def _kind(body: dict) -> str:
    return str(body.get("command") or body.get("type") or "request")[:40]


def error_handler(followups: FollowUps) -> Callable[..., BoltResponse]:
    """Bolt's @app.error: log by kind, tell the person where Slack lets us, answer 200."""

    def on_error(error: Exception, body: Any, respond: Any = None, say: Any = None) -> BoltResponse:
        body = body if isinstance(body, dict) else {}
        kind = _kind(body)
        if not isinstance(error, (Unreadable, StoreError)) and _in_bolt(error):
            # Bolt's own matchers and middleware reading a field Slack always sends.
            error = Unreadable(f"Bolt: {type(error).__name__}: {str(error)[:120]}")
        if isinstance(error, Unreadable):
            log.warning("brs: %s cannot be read: %s", kind, error)
        elif isinstance(error, StoreError):
            log.error("brs: %s not saved: %s", kind, error)
        else:
            log.error("brs: %s failed", kind, exc_info=error)
        message = saying(error)
        if body.get("command"):  # a slash command: the answer is the ack's body
            return _json({"response_type": "ephemeral", "text": message})
        if body.get("type") == "view_submission":
            title = "Not saved" if isinstance(error, StoreError) else "Cannot read the form"
            return _json({"response_action": "update", "view": message_view(title, message)})
        if respond is not None and body.get("response_url"):
            note = {"text": message, "response_type": "ephemeral", "replace_original": False}
            followups.later(lambda: respond(**note), "error note")
        event = body.get("event") if isinstance(body.get("event"), dict) else {}
        if say is not None and event.get("channel_type") == "im":  # a DM: answer in it
            followups.later(lambda: say(text=message), "error note")
        # Other events and Home clicks have nowhere to answer; a 200 stops Slack retrying.
        return BoltResponse(status=200, body="")

    return on_error


def _json(payload: dict) -> BoltResponse:
    return BoltResponse(
        status=200,
        body=json.dumps(payload),
        headers={"content-type": "application/json;charset=utf-8"},
    )
