"""Reminders posted to Slack: post once with message metadata, and look for an earlier post."""

from __future__ import annotations

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
    """

    def __init__(self, client: WebClient, reader: WebClient | None = None) -> None:
        self._poster = OncePoster(client, reader)

    @property
    def poster(self) -> OncePoster:
        return self._poster

    def post(self, channel: str, message: Message) -> str:
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
        try:
            return self._poster.find(channel, message.key, after)
        except NotConfirmed as e:
            raise DeliveryError(f"looking for an earlier post: {e}") from e
