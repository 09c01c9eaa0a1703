"""Posts that must land once: no blind retries; after an unclear failure, look before reposting.

slack_sdk's ServerErrorRetryHandler and ConnectionErrorRetryHandler send chat.postMessage
again at once when an answer is a 5xx or never arrives, but Slack may have accepted the first
one: the message then shows twice. Here a post that got no clear answer is looked for in the
conversation (by its message metadata, via conversations.history or .replies) and sent again
only if it is not there. A 429 was not accepted, so waiting for Retry-After and sending again
is safe: the client's RateLimitErrorRetryHandler does that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.slack.refusals import brief

log = logging.getLogger(__name__)

ATTEMPTS = 3  # one post and at most two more, each after looking for the one before
BACKOFF = 0.5  # seconds before looking: 0.5, then 1
TIMEOUT = 15  # seconds for one chat.postMessage; past it the answer counts as lost
RATE_LIMIT_RETRIES = 2
LOOK_BEFORE = 600.0  # seconds before the first attempt to look from (clocks differ a little)
HISTORY_PAGES = 5  # of 200 messages: the post is among the conversation's latest
POST_EVENT = "brs_post"  # metadata event_type of posts other than reminders

# Raised by urllib/http.client when a connection drops, resets or times out mid-request.
UNCLEAR = (OSError, HTTPException)

Key = tuple[str, str, str]  # (event_type, payload key, payload "on")


class NotConfirmed(Exception):
    """Slack gave no clear answer and the conversation could not be read to check; one line."""


def without_blind_retries(client: WebClient) -> WebClient:
    """A twin of `client` (same token, URL, proxy, TLS) that keeps only its 429 handling."""
    handlers = [
        h
        for h in client.retry_handlers
        if not isinstance(h, (ServerErrorRetryHandler, ConnectionErrorRetryHandler))
    ]
    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in handlers):
        handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=min(client.timeout, TIMEOUT),
        ssl=client.ssl,
        proxy=client.proxy,
        headers=dict(client.headers),
        retry_handlers=handlers,
    )


def metadata_key(metadata: Any) -> Key | None:
    """What identifies a message brs posted: its metadata's type, key and date."""
    if not isinstance(metadata, dict):
        return None
    payload = metadata.get("event_payload") or {}
    if not isinstance(payload, dict):
        return None
    return (str(metadata.get("event_type")), str(payload.get("key")), str(payload.get("on")))


def post_metadata(key: str) -> dict[str, Any]:
    """Metadata for a post that is not a reminder (a shared card, a reply to a mention)."""
    return {"event_type": POST_EVENT, "event_payload": {"key": key, "on": ""}}


def unclear(error: Exception) -> bool:
    """True when Slack may have taken the post although the answer says otherwise."""
    if isinstance(error, SlackApiError):
        return error.response.status_code >= 500
    return isinstance(error, UNCLEAR)


class OncePoster:
    """chat.postMessage exactly once, through a twin of `client` without blind retries; the
    lookups go through `client` itself (reading twice is harmless).

    Raises SlackApiError or OSError when it was not posted (refused, or never there after
    every attempt), NotConfirmed when it may have been but the conversation cannot be read.
    """

    def __init__(
        self,
        client: WebClient,
        reader: WebClient | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF,
    ) -> None:
        # A stand-in client (handler tests) is used as it is.
        self._client = without_blind_retries(client) if isinstance(client, WebClient) else client
        self._reader = reader or client
        self._clock = clock
        self._sleep = sleep
        self._attempts = attempts
        self._backoff = backoff

    def post(self, channel: str, *, metadata: dict[str, Any], **fields: Any) -> str:
        """Post with `metadata` (which identifies it); returns the message's ts."""
        key = metadata_key(metadata)
        since = self._clock() - LOOK_BEFORE
        thread = fields.get("thread_ts")
        error: Exception | None = None
        for attempt in range(self._attempts):
            if error is not None:
                self._sleep(self._backoff * 2 ** (attempt - 1))
                found = self.find(channel, key, since, thread)
                if found is not None:
                    log.info(
                        "post to %s: an unclear answer, but it is there (ts %s)", channel, found
                    )
                    return found
            try:
                response = self._client.chat_postMessage(
                    channel=channel, metadata=metadata, **fields
                )
                return str(response["ts"])
            except (SlackClientError, *UNCLEAR) as e:
                if not unclear(e):
                    raise
                error = e
                log.warning(
                    "post to %s: no clear answer (%s); looking before trying again",
                    channel,
                    _brief(e),
                )
        assert error is not None
        found = self.find(channel, key, since, thread)
        if found is not None:
            return found
        raise error  # looked each time and it is not there: not posted, for this reason

    def find(
        self, channel: str, key: Key | None, since: float | None, thread: str | None = None
    ) -> str | None:
        """The ts of the message with metadata `key` posted after `since`, else None.

        Raises NotConfirmed when the conversation cannot be read.
        """
        if key is None:
            return None
        oldest = f"{since:.6f}" if since else None
        cursor = None
        try:
            for _ in range(HISTORY_PAGES):
                if thread:
                    response = self._reader.conversations_replies(
                        channel=channel,
                        ts=thread,
                        include_all_metadata=True,
                        oldest=oldest,
                        limit=200,
                        cursor=cursor,
                    )
                else:
                    response = self._reader.conversations_history(
                        channel=channel,
                        include_all_metadata=True,
                        oldest=oldest,
                        limit=200,
                        cursor=cursor,
                    )
                for m in response.get("messages") or ():
                    if metadata_key(m.get("metadata")) == key:
                        return str(m["ts"])
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return None
        except (SlackClientError, *UNCLEAR) as e:
            raise NotConfirmed(f"could not look for an earlier post: {_brief(e)}") from e
        # Over a thousand messages since the first attempt and it is not among them: taken as
        # never posted (in so busy a conversation a duplicate is possible, a loss is not).
        return None


def _brief(error: Exception) -> str:
    return brief(error)
