"""Each Events API delivery handled once: Slack's retries (same event_id) are acked, not redone."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse

from store.dedupe import SeenWindow

log = logging.getLogger(__name__)


def event_key(body: object) -> str | None:
    """`ev:<event_id>` for an event_callback; None for anything else."""
    if not isinstance(body, dict) or body.get("type") != "event_callback":
        return None
    event_id = body.get("event_id")
    return f"ev:{event_id}" if isinstance(event_id, str) and event_id else None


def once_per_event(seen: SeenWindow) -> Callable[..., BoltResponse | None]:
    """A Bolt global middleware: a delivery whose event_id was handled is answered 200 at once.

    The key is remembered only after the listener returned (with process_before_response,
    after the work that the ack confirms), so a delivery that failed or crashed is retried.
    """

    def middleware(
        request: BoltRequest, body: dict, next: Callable[[], BoltResponse | None]
    ) -> BoltResponse | None:
        key = event_key(body)
        if key is None:
            return next()
        if not seen.claim(key):
            retry = request.headers.get("x-slack-retry-num", ["?"])[0]
            log.info("event %s: delivered again (retry %s), handled already", key[3:], retry)
            return BoltResponse(status=200, body="")
        try:
            response = next()
        except BaseException:
            seen.release(key)
            raise
        if response is not None and response.status >= 400:
            seen.release(key)  # not handled: let Slack's retry try again
        else:
            seen.done(key)
        return response

    return middleware
