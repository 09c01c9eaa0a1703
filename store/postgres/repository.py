"""The PostgreSQL store: store.repository.Store's contract, one database shared by processes.

Reads come from this process's copy of the documents (store.postgres.cache), brought up to the
database's version whenever `version` is asked, before every commit, when another process's
commit is announced (LISTEN/NOTIFY) and at least every FRESH_FOR seconds of reading.
A commit is one transaction that first locks the version row, so commits from every process
queue there and history numbers follow commit order; `old` values are checked against the
database as it is under that lock, giving the same ChangedMeanwhile as TinyDB does.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from store import model
from store.documents import (
    EMPTY_REPORT,
    ChangeItem,
    ReportInfo,
    check_dates,
    validated,
)
from store.history import Change
from store.postgres import tables
from store.postgres.cache import View
from store.postgres.connect import connect, label, reason
from store.postgres.leader import SchedulerLock
from store.postgres.listen import Listener
from store.postgres.pool import OPEN_TIMEOUT, Guarded, make_pool
from store.postgres.reads import Reads, resolved
from store.postgres.schema import upgrade
from store.postgres.seen import PgSeen
from store.postgres.writes import Writes
from store.records import SET
from store.reimport import next_free
from store.requests import Requests
from store.storage import StoreError

log = logging.getLogger(__name__)

FRESH_FOR = 0.05  # seconds a read may trust the copy without asking the database


def _utcnow() -> datetime:
    return datetime.now(UTC)


class PgStore(Reads, Writes):
    """The same public methods as store.repository.Store; `path` is the database's label."""

    def __init__(
        self, url: str, pool: ConnectionPool, schema: str, clock: Callable[[], datetime]
    ) -> None:
        self.url = url
        self.path = label(url)  # never the password
        self.readonly = False
        self._pool = pool
        self._schema = schema
        self._clock = clock
        self._lock = threading.RLock()
        self._view = View()
        self._checked = 0.0
        self._closed = False
        self._listeners: list[Callable[[list[Change]], None]] = []
        self._leader: SchedulerLock | None = None
        self._listener = Listener(url, schema, self._refresh)
        # The Slack request each thread is answering (its key goes into the next commit).
        self.requests = Requests()
        self._failure: str | None = None  # why the last commit could not reach the database

    @classmethod
    def open(
        cls,
        url: str,
        *,
        readonly: bool = False,
        clock: Callable[[], datetime] = _utcnow,
        listen: bool = True,
    ) -> PgStore:
        """Connect, bring the schema up to date, load; StoreError names DATABASE_URL."""
        try:
            with connect(url) as conn:
                upgrade(conn, label(url))
                row = conn.execute("SELECT current_schema()").fetchone()
                schema = str(row[0]) if row else "public"
            pool = make_pool(url)
            store = cls(url, pool, schema, clock)
            store.readonly = readonly
            try:
                pool.open(wait=True, timeout=OPEN_TIMEOUT)
                store._load()
                if listen:
                    store._listener.start()
            except BaseException:
                pool.close()
                raise
        except psycopg.Error as exc:  # such as no right to create the tables
            raise StoreError(f"DATABASE_URL: {label(url)}: {reason(exc, url)}.") from None
        return store

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._listener.stop()
        if self._leader is not None:
            self._leader.release()
        self._pool.close()

    def __enter__(self) -> PgStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- keeping the copy current ------------------------------------------

    def seen_window(self) -> PgSeen:
        """The Events API's seen window in this database, shared by every process."""
        return PgSeen(self._db, clock=self._clock)

    def _db(self) -> Any:
        """A pooled connection; a lost database becomes a one-line StoreError."""
        if self._closed:
            raise StoreError(f"The store {self.path} is closed.")
        return Guarded(self._pool, self.url, self.path)

    def _load(self) -> None:
        with self._lock, self._db() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            version = tables.version(conn)
            self._view.load(tables.all_documents(conn), version)
            self._view.targets = tables.targets(conn)
            self._view.record(tables.last_in_groups(conn))
            self._checked = time.monotonic()

    def _refresh(self) -> None:
        if self._closed:
            return
        # Asked without the lock, so reads do not queue behind one another's round trips;
        # the connection goes back before the lock is taken (commits take lock, then one).
        with self._db() as conn, conn.transaction():
            version = tables.version(conn)
        self._checked = time.monotonic()
        if version <= self._view.version:
            return
        with self._lock:
            if self._closed:
                return
            with self._db() as conn:
                foreign = self._catch_up(conn)
        self._tell(foreign)

    def _fresh(self) -> View:
        """The copy, caught up if it was last checked more than FRESH_FOR ago."""
        if time.monotonic() - self._checked > FRESH_FOR and not self._closed:
            self._refresh()
        return self._view

    def _catch_up(self, conn: psycopg.Connection, upto: int | None = None) -> list[Change]:
        """Apply what other processes committed since the copy's version (caller holds _lock)."""
        with conn.transaction():
            if upto is None:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                upto = tables.version(conn)
            self._checked = time.monotonic()
            if upto <= self._view.version:
                return []
            records = tables.since(conn, self._view.version)
            values = tables.documents(conn, tables.touched(records))
        objs = {k: validated(*k, v) for k, v in values.items() if v is not None}
        self._view.install(values, objs, upto)
        self._view.record(records)
        return records

    def _tell(self, records: list[Change]) -> None:
        if not records:
            return
        for listener in list(self._listeners):
            try:
                listener(records)
            except Exception:  # the change is saved; a listener's failure must not undo that
                log.exception("store %s: a commit listener failed", self.path)

    def on_commit(self, listener: Callable[[list[Change]], None]) -> None:
        """Call `listener` with the records of every later commit, this process's or another's."""
        with self._lock:
            self._listeners.append(listener)

    # --- reads --------------------------------------------------------------

    @property
    def version(self) -> int:
        """The database's version: this process's copy is caught up to it first."""
        self._refresh()
        return self._view.version

    def is_empty(self) -> bool:
        view = self._fresh()
        with self._lock:
            return not view.activities and "" not in view.docs["report"]

    def report_info(self) -> ReportInfo:
        view = self._fresh()
        with self._lock:
            return view.report() or EMPTY_REPORT

    def activities(self) -> list[model.Activity]:
        view = self._fresh()
        with self._lock:
            return list(view.activities)

    def activity(self, code: str) -> model.Activity | None:
        view = self._fresh()
        with self._lock:
            return view.activity_index.get(code.strip().casefold())

    def codes(self) -> list[str]:
        view = self._fresh()
        with self._lock:
            return [a.code for a in view.activities]

    def deadlines(self, code: str | None = None) -> list[model.Deadline]:
        view = self._fresh()
        with self._lock:
            found = view.deadlines
            if code is None:
                return list(found)
            fold = code.strip().casefold()
            return [d for d in found if d.activity.casefold() == fold]

    def deadline(self, deadline_id: str) -> model.Deadline | None:
        view = self._fresh()
        with self._lock:
            return view.deadline_index.get(deadline_id.strip().casefold())

    def events(self) -> dict[str, date]:
        view = self._fresh()
        with self._lock:
            return dict(view.events)

    def setting(self, name: str, default: Any = None) -> Any:
        view = self._fresh()
        with self._lock:
            return copy.deepcopy(view.docs["setting"].get(name, default))

    def last_change(self, code: str) -> Change | None:
        """The newest record of an activity or its deadlines."""
        view = self._fresh()
        with self._lock:
            last = view.last_in_group.get(code.strip().casefold())
        if last is None or last.op == SET:
            return last
        # Another process's record, as stored: a delta; resolve it against the database.
        with self._db() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            found = tables.in_group(conn, code.strip().casefold(), 1)
            return resolved(conn, found)[0] if found else None

    def next_deadline_id(self, code: str) -> str:
        """A fresh id such as "S17-8" for a new deadline of activity `code`; never a past one."""
        view = self._fresh()
        with self._lock:
            return next_free(code, view.taken_deadline_ids())

    # --- commit ---------------------------------------------------------------

    def commit(self, user: str, changes: Iterable[ChangeItem]) -> list[Change]:
        """Record and apply changes in one transaction; returns the records written.

        Each `old` must equal the current value in the database (else ChangedMeanwhile,
        nothing saved). Changes whose old equals new are dropped.
        """
        changes = list(changes)
        with self._lock:
            self._writable()
            try:
                foreign, recorded = self._commit(user, changes)
            except StoreError as exc:
                if str(exc).startswith("DATABASE_URL:") or str(exc).startswith("The database "):
                    self._failure = str(exc)
                raise
            self._failure = None
        self._tell(foreign)
        if not recorded:
            return []
        self._tell(recorded)
        return recorded

    def _commit(self, user: str, changes: list[ChangeItem]) -> tuple[list[Change], list[Change]]:
        """One transaction (caller holds _lock): what other processes committed meanwhile,
        and the records written (with whole values)."""
        recorded: list[Change] = []
        with self._db() as conn, conn.transaction():
            base = tables.version(conn, lock=True)  # commits from every process queue here
            foreign = self._catch_up(conn, upto=base)
            # A Slack request's key rides in the same transaction (store.requests).
            extra = self.requests.items(self._view.docs["request"], self._clock)
            work, items = self._view.work([*changes, *extra])
            if items:
                objs = {k: validated(*k, v) for k, v in work.values.items() if v is not None}
                check_dates(objs)  # only what changes: an old store's odd value still opens
                at = self._clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                end = base + len(items)
                recorded = [
                    Change(base + 1 + i, t, f, old, new, str(user), at, batch=end)
                    for i, (t, f, old, new) in enumerate(items)
                ]
                tables.append(conn, recorded, work.values, self._schema)
        if extra:
            self.requests.recorded()
        if items:
            self._view.install(work.values, objs, end)
            self._view.record(recorded)
        return foreign, recorded

    def health(self) -> str | None:
        """None while the database answers and takes writes, else one line saying why not
        (for /healthz); never the password."""
        if self.readonly:
            return f"the store {self.path} is open read-only"
        if self._closed:
            return f"the store {self.path} is closed"
        try:
            with self._db() as conn, conn.transaction():
                row = conn.execute(
                    "SELECT pg_is_in_recovery(), current_setting('transaction_read_only'),"
                    " has_table_privilege('brs_history', 'INSERT'),"
                    " has_table_privilege('brs_state', 'UPDATE')"
                ).fetchone()
        except StoreError as exc:
            return str(exc).removesuffix("; nothing was changed.").rstrip(".")
        if row is None or row[0] or row[1] == "on":
            return f"the database {self.path} is read-only (a standby, or read-only transactions)"
        if not (row[2] and row[3]):
            return f"the database {self.path} does not let this user write brs's tables"
        if self._failure:
            return "last write failed: " + self._failure
        return None

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"The store {self.path} is open read-only; nothing was changed.")
        if self._closed:
            raise StoreError(f"The store {self.path} is closed; nothing was changed.")
