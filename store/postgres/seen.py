"""The seen window on PostgreSQL: what Slack already delivered, shared by every process.

A retried event may reach another `brs serve` than the first delivery, or come after a
restart: the window is a table, so each event_id is handled once across all of them. A key
claimed by a process that died before finishing is free again after STALE, so its retry is
not lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from store.dedupe import MAX_KEY, WINDOW

STALE = timedelta(seconds=60)  # a claim not finished by then was a process that died


class PgSeen:
    """`claim(key)` before handling, then `done(key)` or `release(key)`, as store.dedupe's."""

    def __init__(
        self, db: Callable[[], Any], *, clock: Callable[[], datetime], window: timedelta = WINDOW
    ) -> None:
        self._db = db  # a pooled connection whose errors are one-line StoreErrors
        self._clock = clock
        self._window = window.total_seconds()
        self.path = None

    def claim(self, key: str) -> bool:
        """True: handle it (first time seen anywhere). False: handled, or being handled."""
        now = self._clock().timestamp()
        with self._db() as conn, conn.transaction():
            conn.execute("DELETE FROM brs_seen WHERE at < %s", (now - self._window,))
            row = conn.execute(
                "INSERT INTO brs_seen (key, at, done) VALUES (%s, %s, false) "
                "ON CONFLICT (key) DO UPDATE SET at = EXCLUDED.at "
                "WHERE NOT brs_seen.done AND brs_seen.at < %s RETURNING key",
                (key[:MAX_KEY], now, now - STALE.total_seconds()),
            ).fetchone()
        return row is not None

    def done(self, key: str) -> None:
        with self._db() as conn, conn.transaction():
            conn.execute(
                "UPDATE brs_seen SET done = true, at = %s WHERE key = %s",
                (self._clock().timestamp(), key[:MAX_KEY]),
            )

    def release(self, key: str) -> None:
        with self._db() as conn, conn.transaction():
            conn.execute("DELETE FROM brs_seen WHERE key = %s AND NOT done", (key[:MAX_KEY],))

    def health(self) -> str | None:
        return None  # the store's own health() speaks for the database

    def close(self) -> None:
        """Nothing of its own to close: the store's pool holds the connections."""
