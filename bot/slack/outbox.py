"""Reminders posted to Slack: post with message metadata, and look for an earlier post."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.slack.refusals import brief
from jobs.outbox import DeliveryError, Message

# How far before the first attempt to look for its message (clocks differ a little).
LOOK_BEFORE = timedelta(minutes=10)
HISTORY_PAGES = 5  # of 200 messages: the reminder is among the channel's latest


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
            raise DeliveryError(brief(e)) from e
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
            raise DeliveryError(f"looking for an earlier post: {brief(e)}") from e
        # Over a thousand messages since the first attempt and it is not among them: taken as
        # never posted (in so busy a channel a duplicate is possible, a loss is not).
        return None


def _key(metadata: dict | None) -> tuple[str, str, str] | None:
    if not isinstance(metadata, dict):
        return None
    payload = metadata.get("event_payload") or {}
    return (str(metadata.get("event_type")), str(payload.get("key")), str(payload.get("on")))
