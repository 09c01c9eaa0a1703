"""Where reminders go: Slack (post with metadata, look for an earlier post) or a console."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Protocol, TextIO
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.render.reminders import Message, fmt_instant
from bot.render.text import blocks_to_text

# How far before the first attempt to look for its message (clocks differ a little).
LOOK_BEFORE = timedelta(minutes=10)
HISTORY_PAGES = 5  # of 200 messages: the reminder is among the channel's latest


class Clock(Protocol):
    def __call__(self) -> datetime: ...


class DeliveryError(Exception):
    """Slack did not take the post (or could not be asked); the message says why, in one line."""


class Outbox(Protocol):
    def post(self, channel: str, message: Message) -> str:
        """Post; returns the message's ts. Raises DeliveryError."""
        ...

    def find(self, channel: str, message: Message, since: datetime | None) -> str | None:
        """The ts of `message` if an earlier attempt did post it, else None. DeliveryError."""
        ...


def _why(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        if status >= 400:
            return f"Slack answered HTTP {status}"
        return f"Slack answered {error.response.get('error', 'not ok')}"
    return f"Slack could not be reached ({type(error).__name__}: {error})"


class SlackOutbox:
    """The Web API client's retry handlers already retry 429, 5xx and dropped connections."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def post(self, channel: str, message: Message) -> str:
        try:
            response = self._client.chat_postMessage(
                channel=channel,
                blocks=message.blocks,
                text=message.text,
                metadata=message.metadata,
                unfurl_links=False,
                unfurl_media=False,
            )
        except (SlackClientError, OSError) as e:
            raise DeliveryError(_why(e)) from e
        return str(response["ts"])

    def find(self, channel: str, message: Message, since: datetime | None) -> str | None:
        oldest = f"{(since - LOOK_BEFORE).timestamp():.6f}" if since else None
        cursor = None
        try:
            for _ in range(HISTORY_PAGES):
                response = self._client.conversations_history(
                    channel=channel,
                    include_all_metadata=True,
                    oldest=oldest,
                    limit=200,
                    cursor=cursor,
                )
                for m in response.get("messages") or ():
                    if _key(m.get("metadata")) == message.key:
                        return str(m["ts"])
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return None
        except (SlackClientError, OSError) as e:
            raise DeliveryError(f"looking for an earlier post: {_why(e)}") from e
        # Over a thousand messages since the first attempt and it is not among them: taken as
        # never posted (in so busy a channel a duplicate is possible, a loss is not).
        return None


def _key(metadata: dict | None) -> tuple[str, str, str] | None:
    if not isinstance(metadata, dict):
        return None
    payload = metadata.get("event_payload") or {}
    return (metadata.get("event_type"), payload.get("key"), payload.get("on"))


class ConsoleOutbox:
    """`brs console`: each post printed as text after a blank line, like a reply."""

    def __init__(self, out: TextIO, clock: Clock, tz: ZoneInfo) -> None:
        self._out = out
        self._clock = clock
        self._tz = tz
        self._ts = itertools.count(1)

    def post(self, channel: str, message: Message) -> str:
        when = fmt_instant(self._clock().astimezone(self._tz))
        where = "" if channel == "console" else f" in {channel}"
        text = blocks_to_text(message.blocks).rstrip("\n")
        self._out.write(f"\n[posted {when}{where}]\n{text}\n")
        self._out.flush()
        return f"console.{next(self._ts):06d}"

    def find(self, channel: str, message: Message, since: datetime | None) -> str | None:
        return None  # what the console printed cannot be lost
