"""What /healthz says: 503 with one line when brs cannot keep its promises, else 200.

Unhealthy when the store cannot be written (the store's own `health()` where it has one, the
history file gone or replaced, its directory refusing a write: a full disk, a read-only
mount), when the seen-events window cannot be written, when the scheduler has not run when
it should have, or when the last reminder run failed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jobs.reminders import Reminders, Run
from store.history import history_path

LATE = timedelta(minutes=2)  # a run this late past its due time means the scheduler stalled
STUCK = timedelta(minutes=15)  # a run this long (each post gives up within a minute) is stuck


@dataclass(frozen=True)
class Report:
    ok: bool
    line: str  # one line, no newline


class WatchedReminders(Reminders):
    """The reminder runs, with when the last one started and ended and whether it failed."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.started: datetime | None = None
        self.finished: datetime | None = None
        self.problem: str | None = None  # why the last run failed, in one line

    def run(self) -> Run:
        self.started = self._clock()
        try:
            done = super().run()
        except Exception as e:
            self.problem = f"the last reminder run failed: {type(e).__name__}: {e}"[:300]
            raise
        finally:
            self.finished = self._clock()
        self.problem = None
        if done.failed:
            n = len(done.failed)
            self.problem = (
                f"the last reminder run could not post {n} reminder{'s' * (n > 1)} "
                f"({', '.join(i.key for i in done.failed[:3])})"
            )
        return done


class Health:
    """Call it for a Report; `watch()` adds the scheduler once it runs."""

    def __init__(
        self,
        store: Any,
        db_path: Path | None,
        *,
        clock: Callable[[], datetime],
        seen: Any = None,
    ) -> None:
        self._store = store
        self._db = Path(db_path) if db_path is not None else None  # None: PostgreSQL
        self._history = history_path(self._db) if self._db is not None else None
        self._clock = clock
        self._seen = seen
        self._inode = _inode(self._history) if self._history is not None else None
        self._reminders: WatchedReminders | None = None
        self._scheduler: Any = None

    def watch(self, reminders: WatchedReminders, scheduler: Any) -> None:
        self._reminders, self._scheduler = reminders, scheduler

    def __call__(self) -> Report:
        problem = self._problem()
        if problem:
            return Report(False, problem)
        where = self._db if self._db is not None else "(PostgreSQL)"
        return Report(True, f"ok: store {where} writable; {self._last_run()}")

    def _problem(self) -> str | None:
        for check in (self._store_says, self._files, self._seen_says, self._schedule):
            try:
                if problem := check():
                    return problem
            except Exception as e:  # a check that cannot even be made is a failed check
                return f"health check failed: {type(e).__name__}: {e}"[:300]
        return None

    def _store_says(self) -> str | None:
        health = getattr(self._store, "health", None)
        return health() if callable(health) else None

    def _files(self) -> str | None:
        if self._db is None or self._history is None:  # a database: its health() says it all
            return None
        now = _inode(self._history)
        if now is None:
            return f"the history file {self._history} is gone; changes cannot be saved"
        if self._inode is not None and now != self._inode:
            return f"the history file {self._history} was replaced under the running server"
        try:
            with open(self._db, "rb") as f:
                f.read(1)
            self._store.codes()
        except OSError as e:
            return f"the store {self._db} cannot be read: {e.strerror}"
        return _writable(self._db.parent)

    def _seen_says(self) -> str | None:
        return self._seen.health() if self._seen is not None else None

    def _schedule(self) -> str | None:
        r = self._reminders
        if r is None:
            return None
        now = self._clock()
        if r.started and (r.finished is None or r.finished < r.started):
            if now - r.started > STUCK:
                return f"a reminder run has been running since {_iso(r.started)}"
            return None
        due = getattr(self._scheduler, "next_at", None)
        if due is not None and now - due > LATE and (r.started is None or r.started < due):
            since = _iso(r.started) if r.started else "start"
            return f"the scheduler has not run since {since}; a run was due at {_iso(due)}"
        return r.problem

    def _last_run(self) -> str:
        r = self._reminders
        if r is None:
            return "no reminder scheduler in this process"
        last = r.finished or r.ledger.last_run()
        return f"reminders last ran {_iso(last)}" if last else "reminders have not run yet"


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


def _writable(directory: Path) -> str | None:
    """A byte written, fsynced and removed: a full disk or a read-only mount refuses it."""
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".brs-health-") as f:
            f.write(b"\0")
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        return f"the store's folder {directory} cannot be written: {e.strerror or e}"
    return None


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")
