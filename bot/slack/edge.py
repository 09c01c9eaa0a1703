"""The HTTP edge of /slack/events: size, signature, age and shape checked before Bolt parses.

Bolt parses a body before it checks the signature, so an unsigned body that is not JSON, or
a timestamp that is not a number, used to reach its parser and end as a 500 with a traceback.
Here anything unsigned, stale or forged gets 401, anything signed but unreadable 400, each
without a traceback, and the log gets at most one line a minute about them.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes; Slack's largest (a submitted form) is far smaller
MAX_AGE = 300  # seconds: Slack's own limit for a request's timestamp
LOG_EVERY = 60.0  # seconds between summaries of refused requests

Wsgi = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


class _Refusals:
    """Counts refused requests and logs a one-line summary at most every LOG_EVERY seconds."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._next = 0.0

    def add(self, why: str) -> None:
        with self._lock:
            self._counts[why] += 1
            now = self._clock()
            if now < self._next:
                return
            summary = ", ".join(f"{n} {w}" for w, n in sorted(self._counts.items()))
            self._counts.clear()
            self._next = now + LOG_EVERY
        log.warning("slack edge: refused %s (next summary in %ds at most)", summary, LOG_EVERY)


def signed(secret: str, timestamp: str, body: bytes, signature: str, now: float) -> str | None:
    """None when Slack signed `body` at `timestamp`; else why not, in a few words."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return "bad timestamp"
    if abs(now - int(timestamp)) > MAX_AGE:
        return "stale"
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return "bad signature"
    return None


def readable(body: bytes, content_type: str) -> bool:
    """Whether `body` has the shape of something Slack sends (a form, or a JSON object)."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            return isinstance(json.loads(text), dict)
        form = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in form:
            payload = json.loads(form["payload"])
            return (
                isinstance(payload, dict)
                and isinstance(payload.get("type"), str)
                and _url(payload.get("response_url"))
            )
        return bool(form) and _url(form.get("response_url"))
    except (UnicodeDecodeError, ValueError):
        return False


def _url(value: object) -> bool:
    # Replies go to response_url: only ever an http(s) URL from Slack.
    return value is None or (isinstance(value, str) and value.startswith(("https://", "http://")))


def slack_edge(bolt: Wsgi, secret: str, *, clock: Callable[[], float] = time.time) -> Wsgi:
    """Wrap Bolt's WSGI handler with the checks above; what passes reaches Bolt unchanged."""
    refusals = _Refusals(clock)

    def refuse(start_response: Callable[..., Any], status: str, why: str) -> Iterable[bytes]:
        refusals.add(why)
        start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [status.split(" ", 1)[1].encode() + b"\n"]

    def edge(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return bolt(environ, start_response)  # Bolt answers 404 to anything but POST
        raw_length = environ.get("CONTENT_LENGTH") or "0"
        if not raw_length.isdigit():
            return refuse(start_response, "400 Bad Request", "bad length")
        if int(raw_length) > MAX_BODY:
            return refuse(start_response, "413 Content Too Large", "too large")
        body = environ["wsgi.input"].read(int(raw_length))
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
        signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
        if not signature:
            return refuse(start_response, "401 Unauthorized", "unsigned")
        if why := signed(secret, timestamp, body, signature, clock()):
            return refuse(start_response, "401 Unauthorized", why)
        if not readable(body, environ.get("CONTENT_TYPE") or ""):
            return refuse(start_response, "400 Bad Request", "unreadable")
        environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        try:
            return list(bolt(environ, start_response))
        except Exception as e:
            # Listeners' errors are Bolt's error handler's (bot.slack.failures); what escapes
            # Bolt itself is Bolt reading a signed payload without a field Slack always sends.
            log.warning(
                "slack edge: a signed request Bolt cannot read: %s: %s",
                type(e).__name__,
                str(e)[:200],
            )
            start_response(
                "400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")], sys.exc_info()
            )
            return [b"Bad Request\n"]

    return edge
