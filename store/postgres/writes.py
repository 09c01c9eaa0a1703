"""The PostgreSQL store's writes beyond commit: meta, the reminder ledger, events, imports."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from store import model
from store.documents import ChangeItem, target_of, to_json
from store.history import Change
from store.postgres import tables
from store.postgres.leader import SchedulerLock
from store.reimport import import_items
from store.repository import RESERVED_META, ImportResult
from store.storage import StoreError

if TYPE_CHECKING:
    from store.postgres.cache import View


class ClaimLost(StoreError):
    """This process no longer holds the scheduler lock: another may be posting."""


class Writes:
    """Mixed into PgStore, which provides the connection, the copy and commit()."""

    _lock: threading.RLock
    _leader: SchedulerLock | None
    path: str
    url: str

    if TYPE_CHECKING:

        def _db(self) -> Any: ...
        def _fresh(self) -> View: ...
        def _refresh(self) -> None: ...
        def _writable(self) -> None: ...
        def commit(self, user: str, changes: Iterable[ChangeItem]) -> list[Change]: ...

    def scheduler_lock(self) -> SchedulerLock:
        """The lock that picks the one scheduler; while held, reminder claims check it."""
        if self._leader is None:
            self._leader = SchedulerLock(self.url)
        return self._leader

    @contextlib.contextmanager
    def exclusive(self, key: int) -> Iterator[None]:
        """Run the block while holding advisory lock `key`: other processes wait for it."""
        with self._db() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            conn.commit()
            try:
                self._refresh()  # what the last holder did
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
                conn.commit()

    def set_meta(self, key: str, value: Any) -> None:
        """Bookkeeping outside the history (such as the scheduler's last run)."""
        self._writable()
        if key in RESERVED_META:
            raise StoreError(f"The meta key {key!r} is managed by the store.")
        with self._db() as conn, conn.transaction():
            tables.set_meta(conn, key, to_json(value))

    def put_reminder_entries(self, entries: Mapping[str, dict[str, Any] | None]) -> None:
        """Write ledger entries (None removes one) in one transaction; not in the history.

        Marking a reminder "sending" is the claim before posting: in the same transaction it
        checks that no one recorded it as sent meanwhile and, while this process holds the
        scheduler lock, that the lock is still ours, so a process that lost it (its
        connection cut, another took over) posts nothing.
        """
        self._writable()
        rows = {
            key: None if e is None else {**to_json(e), "key": key} for key, e in entries.items()
        }
        claims = any(row is not None and row.get("state") == "sending" for row in rows.values())
        with self._db() as conn, conn.transaction():
            leader = self._leader
            if claims and leader is not None and leader.pid is not None:
                row = conn.execute(
                    "SELECT count(*) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND pid = %s",
                    (leader.pid,),
                ).fetchone()
                if not row or not row[0]:
                    raise ClaimLost(
                        "This process no longer holds the scheduler lock; nothing was claimed."
                    )
            self._unclaimed(conn, rows)
            tables.put_reminders(conn, rows)

    def _unclaimed(self, conn: Any, rows: dict[str, dict[str, Any] | None]) -> None:
        """A reminder already recorded as sent for the same date is never claimed again: only
        a second scheduler (which the lock rules out) would try."""
        claims = {k: r for k, r in rows.items() if r is not None and r.get("state") == "sending"}
        if not claims:
            return
        found = conn.execute(
            "SELECT key, doc FROM brs_reminders WHERE key = ANY(%s) FOR UPDATE", (list(claims),)
        )
        done = [
            k for k, doc in found if doc.get("state") == "sent" and doc.get("on") == claims[k]["on"]
        ]
        if done:
            raise ClaimLost(f"{', '.join(sorted(done))} was posted already; nothing was claimed.")

    def set_event(self, name: str, on: date, user: str) -> Change | None:
        with self._lock:
            view = self._fresh()
            name = view.event_name(name)
            old = view.docs["event"].get(name)
            done = self.commit(user, [(f"event:{name}", "", old, on.isoformat())])
            return done[0] if done else None

    def set_default_events(
        self, defaults: Mapping[str, date], user: str = "system"
    ) -> list[Change]:
        """Create the events not set yet; never moves one already set."""
        with self._lock:
            known = {n.casefold() for n in self._fresh().docs["event"]}
            items: list[ChangeItem] = [
                (f"event:{name}", "", None, on.isoformat())
                for name, on in defaults.items()
                if name.casefold() not in known
            ]
            return self.commit(user, items) if items else []

    def set_setting(self, name: str, value: Any, user: str) -> Change | None:
        """A setting people change (such as the reminder channel), kept in the history."""
        with self._lock:
            old = self._fresh().docs["setting"].get(name)
            done = self.commit(user, [(f"setting:{name}", "", old, value)])
            return done[0] if done else None

    def set_snooze(self, deadline_id: str, until: date, user: str) -> Change | None:
        """No reminders for a deadline before `until`; a history record like any change."""
        with self._lock:
            view = self._fresh()
            key = view.canonical_key(("snooze", deadline_id))
            old = view.docs["snooze"].get(key[1])
            done = self.commit(user, [(target_of(key), "", old, until.isoformat())])
            return done[0] if done else None

    def import_report(
        self,
        report: model.Report,
        user: str = "import",
        *,
        source: str | None = None,
        allow_removals: bool = True,
    ) -> ImportResult:
        """Import or re-import, three-way against the last import; done deadlines stay done.

        Without `allow_removals`, an import that would remove activities raises
        StoreError naming them and changes nothing.
        """
        with self._lock:
            self._writable()
            view = self._fresh()
            items, counts, summary = import_items(
                view.docs,
                list(view.objs["deadline"].values()),
                view.taken_deadline_ids(),
                report,
                source,
                allow_removals=allow_removals,
            )
            self.commit(user, items)
            return ImportResult(*counts, summary)
