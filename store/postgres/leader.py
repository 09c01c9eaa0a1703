"""Which process runs the scheduler: a session advisory lock on a connection of its own.

PostgreSQL releases the lock when that session ends, so a process that dies (kill -9, a lost
network) gives it up without anyone cleaning up; another process's next poll takes it.
"""

from __future__ import annotations

import logging
import threading

import psycopg

from store.postgres.connect import connect
from store.storage import StoreError

log = logging.getLogger(__name__)

# One scheduler per database and schema: two brs installs in two schemas each get one.
LOCK_KEY = "hashtext('brs-scheduler:' || current_database() || ':' || current_schema())"


class SchedulerLock:
    """`acquire()` tries once and never waits; `held()` asks the server, not a flag."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: psycopg.Connection | None = None
        self._mutex = threading.Lock()
        self.pid: int | None = None  # the server process holding the lock for us, if held

    def acquire(self) -> bool:
        with self._mutex:
            if self.pid is not None:
                return True
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = connect(self._url, autocommit=True)
                row = self._conn.execute(f"SELECT pg_try_advisory_lock({LOCK_KEY})").fetchone()
            except (psycopg.Error, StoreError) as exc:
                log.warning("scheduler lock: cannot ask the database: %s", exc)
                self._drop()
                return False
            if row and row[0]:
                self.pid = self._conn.info.backend_pid
                return True
            return False

    def held(self) -> bool:
        """Still ours: the session that holds it answers. A broken one means it is lost."""
        with self._mutex:
            if self.pid is None or self._conn is None:
                return False
            try:
                self._conn.execute("SELECT 1")
                return True
            except psycopg.Error:
                log.warning("scheduler lock: the connection holding it was lost")
                self._drop()
                return False

    def release(self) -> None:
        with self._mutex:
            self._drop()

    def _drop(self) -> None:
        conn, self._conn, self.pid = self._conn, None, None
        if conn is not None:
            conn.close()  # ending the session releases the lock
