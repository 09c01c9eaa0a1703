"""Reminders posted to Slack: post once with message metadata, and look for an earlier post."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.slack.posting import UNCLEAR, NotConfirmed, OncePoster
from bot.slack.refusals import brief
from jobs.outbox import DeliveryError, Message

# How far before the first attempt to look for its message (clocks differ a little).
LOOK_BEFORE = timedelta(minutes=10)


class SlackOutbox:
    """Posts through a twin of `client` that does not retry posts blindly (bot.slack.posting).

    After a 5xx, a dropped connection or a timeout the post is looked for in the channel
    and sent again only if it is not there; `reader` (default: `client`) does the looking.
    A user ID as the channel means their direct message with the bot: conversations.open
    gives its D-channel (the same one each time), where the post goes and is looked for.
    """

    def __init__(self, client: WebClient, reader: WebClient | None = None) -> None:
        self._poster = OncePoster(client, reader)
        self._client = reader or client
        self._dms: dict[str, str] = {}  # user -> their DM channel with the bot
        self._lock = threading.Lock()

    @property
    def poster(self) -> OncePoster:
        return self._poster

    def conversation(self, channel: str) -> str:
        """`channel` itself, or for a user ID (U…, W…) their DM channel. DeliveryError."""
        if not channel.startswith(("U", "W")):
            return channel
        with self._lock:
            known = self._dms.get(channel)
        if known is not None:
            return known
        try:
            # Opening is idempotent (Slack answers the same D-channel), so a lost answer is
            # simply asked again; slack_sdk's retry handlers may do so.
            response = self._client.conversations_open(users=channel)
            opened = str((response.get("channel") or {})["id"])
        except (SlackClientError, *UNCLEAR, KeyError, TypeError) as e:
            why = "no channel in the answer" if isinstance(e, KeyError | TypeError) else brief(e)
            raise DeliveryError(f"could not open a DM with {channel}: {why}") from e
        with self._lock:
            self._dms[channel] = opened
        return opened

    def post(self, channel: str, message: Message) -> str:
        channel = self.conversation(channel)
        try:
            return self._poster.post(
                channel,
                metadata=message.metadata,
                blocks=message.blocks,
                text=message.text,
                unfurl_links=False,
                unfurl_media=False,
            )
        except NotConfirmed as e:
            raise DeliveryError(str(e)) from e
        except (SlackClientError, *UNCLEAR) as e:
            raise DeliveryError(brief(e)) from e

    def find(self, channel: str, message: Message, since: datetime | None) -> str | None:
        after = (since - LOOK_BEFORE).timestamp() if since else None
        channel = self.conversation(channel)
        try:
            return self._poster.find(channel, message.key, after)
        except NotConfirmed as e:
            raise DeliveryError(f"looking for an earlier post: {e}") from e
