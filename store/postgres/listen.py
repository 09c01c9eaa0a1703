"""Hear other processes' commits at once: LISTEN on a connection of its own, in a thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import psycopg

from store.postgres.connect import connect
from store.postgres.tables import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

# Catch up this often even without a notification (one lost while reconnecting, say).
POLL = 2.0
RETRY = 1.0
WAIT = 0.5  # how long stop() may wait for the thread


class Listener:
    """Calls `changed()` after each notification for `schema`, and every POLL seconds."""

    def __init__(self, url: str, schema: str, changed: Callable[[], None]) -> None:
        self._url = url
        self._schema = schema
        self._changed = changed
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="brs-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=WAIT + 5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with connect(self._url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._call()  # whatever was committed while nobody listened
                    self._listen(conn)
            except Exception as exc:  # the thread must outlive a lost connection
                if not self._stop.is_set():
                    log.warning("store: listening for changes failed (%s); retrying", exc)
                    self._stop.wait(RETRY)

    def _listen(self, conn: psycopg.Connection) -> None:
        last = time.monotonic()
        while not self._stop.is_set():
            notes = list(conn.notifies(timeout=WAIT))
            mine = any(n.payload.partition(":")[0] == self._schema for n in notes)
            if mine or time.monotonic() - last >= POLL:
                self._call()
                last = time.monotonic()

    def _call(self) -> None:
        if self._stop.is_set():
            return
        try:
            self._changed()
        except Exception:
            log.exception("store: catching up on other processes' changes failed")
