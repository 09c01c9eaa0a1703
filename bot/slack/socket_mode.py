"""Socket Mode: slack-bolt's built-in handler, answering an envelope delivered twice only once.

Slack sends an envelope again when it missed the answer (a reconnect in between, say). Its
events are deduplicated by event_id like HTTP ones (bot.slack.dedupe); for any envelope,
a recent envelope_id gets the answer it got the first time, without running the listener.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from time import time
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_bolt.response import BoltResponse
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

log = logging.getLogger(__name__)

REMEMBER = 1000  # envelopes; Slack redelivers within minutes, a few thousand a day at most


class OnceSocketModeHandler(SocketModeHandler):
    """SocketModeHandler whose `handle` runs each envelope_id once."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._answers: OrderedDict[str, BoltResponse | None] = OrderedDict()
        self._lock = threading.Lock()

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time()
        with self._lock:
            seen = req.envelope_id in self._answers
            earlier = self._answers.get(req.envelope_id)
            if not seen:
                self._answers[req.envelope_id] = None  # running
                while len(self._answers) > REMEMBER:
                    self._answers.popitem(last=False)
        if seen:
            log.info("socket mode: envelope %s delivered again; not run again", req.envelope_id)
            if earlier is not None:
                send_response(client, req, earlier, start)
            return
        response = run_bolt_app(self.app, req)
        with self._lock:
            self._answers[req.envelope_id] = response
        send_response(client, req, response, start)
