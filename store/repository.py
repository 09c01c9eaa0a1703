"""The store: the only way brs reads and changes persisted data; returns model dataclasses."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

from tinydb import TinyDB

from store import model
from store.dedupe import SeenWindow, seen_path
from store.documents import (
    EMPTY_REPORT,
    ChangeItem,
    ReportInfo,
    group_of,
    target_of,
    to_json,
)
from store.history import Change, History, history_path
from store.index import snapshot_path
from store.ledgerfile import LedgerFile, ledger_path
from store.lock import ProcessLock, StoreLocked
from store.reimport import ImportReport, import_items, next_free
from store.state import RESERVED_META, SCHEMA_VERSION, State
from store.storage import AtomicJSONStorage, ChangedMeanwhile, StoreError, remove_orphans
from store.upgrade import convert_history

__all__ = [
    "Change",
    "ChangedMeanwhile",
    "ImportResult",
    "ReportInfo",
    "Store",
    "StoreError",
    "StoreLocked",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    removed: int
    deadlines_added: int
    deadlines_removed: int = 0
    # By code: what was added, changed (which fields), removed, merged and not read.
    report: ImportReport = field(default_factory=ImportReport, compare=False)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Store(State):
    """Write-ahead: a change is appended to the history (fsync) before TinyDB sees it.

    TinyDB records in meta.applied_seq how far it has applied the history, and
    each application (documents plus applied_seq) lands in one atomic file write,
    so on open the records after applied_seq are simply applied again.
    """

    # --- opening and closing ----------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        readonly: bool = False,
        clock: Callable[[], datetime] = _utcnow,
        checkpoint_every: int = 1,
    ) -> Store:
        """Open (creating if needed) the store at `path`; raises StoreLocked or StoreError."""
        path = Path(path)
        lock = None
        if not readonly:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"Cannot create {path.parent}: {exc.strerror}.") from None
            lock = ProcessLock(path)
            hist = history_path(path)
            for written in (hist, snapshot_path(hist), ledger_path(path)):
                remove_orphans(written)  # what a crash mid-rewrite left
        opened: list[Any] = [lock] if lock else []
        try:
            db = TinyDB(path, storage=AtomicJSONStorage, readonly=readonly)
            opened.append(db)
            # A schema 1 history gets its deltas before it is indexed (a reader leaves it be).
            metas = [] if readonly else db.table("meta").all()
            old = bool(metas) and metas[0].get("schema_version", 1) < SCHEMA_VERSION
            if old:
                convert_history(history_path(path))
            history = History(history_path(path), readonly=readonly, group=group_of)
            opened.append(history)
            ledger = LedgerFile(ledger_path(path), readonly=readonly)
            opened.append(ledger)
            store = cls(path, db, history, lock, clock, checkpoint_every, ledger)
            store._load()
            return store
        except BaseException:
            for thing in reversed(opened):
                thing.close()
            raise

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                if not self.readonly:
                    self._flush()
                    self._history.save_snapshot()
            except OSError as exc:
                # The history holds these changes; the next open applies them.
                log.warning("store %s: deferred write failed on close: %s", self.path, exc)
            finally:
                self._history.close()
                self._ledger.close()
                self._db.close()
                if self._process_lock is not None:
                    self._process_lock.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- reads --------------------------------------------------------------

    @property
    def version(self) -> int:
        """Grows with every change; what was read at one version stays true until it moves."""
        with self._lock:
            return self._applied

    def is_empty(self) -> bool:
        with self._lock:
            return not self._activities and "" not in self._docs["report"]

    def report_info(self) -> ReportInfo:
        with self._lock:
            return self._objs["report"].get("", EMPTY_REPORT)

    def activities(self) -> list[model.Activity]:
        """All activities in report order."""
        with self._lock:
            return list(self._activities)

    def activity(self, code: str) -> model.Activity | None:
        with self._lock:
            return self._activity_index.get(code.strip().casefold())

    def codes(self) -> list[str]:
        with self._lock:
            return [a.code for a in self._activities]

    def deadlines(self, code: str | None = None) -> list[model.Deadline]:
        """All deadlines (or one activity's), by activity in report order, then by number."""
        with self._lock:
            if code is None:
                return list(self._deadlines)
            fold = code.strip().casefold()
            return [d for d in self._deadlines if d.activity.casefold() == fold]

    def deadline(self, deadline_id: str) -> model.Deadline | None:
        with self._lock:
            return self._deadline_index.get(deadline_id.strip().casefold())

    def events(self) -> dict[str, date]:
        with self._lock:
            return dict(self._events)

    def snoozes(self) -> dict[str, date]:
        """Deadline id -> the first day it may be reminded of again."""
        with self._lock:
            return dict(self._objs["snooze"])

    def setting(self, name: str, default: Any = None) -> Any:
        with self._lock:
            return copy.deepcopy(self._docs["setting"].get(name, default))

    def history(self, code_or_target: str, *, newest: int | None = None) -> list[Change]:
        """One target's records ("event:COP-2013"), or an activity's and its deadlines'.

        Oldest first; with `newest`, only that many of the latest (an activity's).
        """
        with self._lock:
            if ":" in code_or_target or code_or_target == "report":
                found = list(self._history.changes(self._canonical_target(code_or_target)))
            else:
                found = self._history.in_group(code_or_target.strip().casefold(), newest)
            return self._resolved(found)

    def history_count(self, code: str) -> int:
        """How many records an activity and its deadlines have, without reading them."""
        with self._lock:
            return self._history.count_in_group(code.strip().casefold())

    def last_change(self, code: str) -> Change | None:
        """The newest record of an activity or its deadlines."""
        with self._lock:
            last = self._history.last_in_group(code.strip().casefold())
            return None if last is None else self._resolved([last])[0]

    def get_meta(self, key: str, default: Any = None) -> Any:
        with self._lock:
            if key in self._ledger.meta:
                return copy.deepcopy(self._ledger.meta[key])
            return copy.deepcopy(self._meta.get(key, default))

    def next_deadline_id(self, code: str) -> str:
        """A fresh id such as "S17-8" for a new deadline of activity `code`; never a past one."""
        with self._lock:
            return next_free(code, self._taken_deadline_ids())

    def health(self) -> str | None:
        """None while changes can be saved, else one line saying why not (for /healthz)."""
        with self._lock:
            if self.readonly:
                return f"the store {self.path} is open read-only"
            if self._closed:
                return f"the store {self.path} is closed"
            problem = self._history.check()
            if problem is None and self._process_lock is not None:
                problem = self._process_lock.lost()
            if problem is None and self._failures:
                problem = "last write failed: " + next(iter(self._failures.values()))
            return problem

    # --- writes -------------------------------------------------------------

    def set_meta(self, key: str, value: Any) -> None:
        """Bookkeeping outside the history (such as the scheduler's last run): the ledger file."""
        with self._lock:
            self._writable()
            if key in RESERVED_META:
                raise StoreError(f"The meta key {key!r} is managed by the store.")
            self._guarded("ledger", lambda: self._ledger.write(meta={key: to_json(value)}))

    def seen_window(self) -> SeenWindow:
        """What Slack already delivered, for a while: a small file of its own beside the store."""
        return SeenWindow(seen_path(self.path), clock=self._clock)

    def commit(self, user: str, changes: Iterable[ChangeItem]) -> list[Change]:
        """Record and apply changes atomically; returns the records written.

        Each `old` must equal the current value (else StoreError, nothing saved), so a
        change computed from a stale read cannot silently overwrite another. Changes
        whose old equals new are dropped.
        """
        with self._lock:
            extra = self.requests.items(self._docs["request"], self._clock)
            recorded = self._commit(user, [*changes, *extra] if extra else changes, self._stamp())
            if extra:
                self.requests.recorded()
            return recorded

    def on_commit(self, listener: Callable[[list[Change]], None]) -> None:
        """Call `listener` with the records of every later commit (the scheduler reschedules)."""
        with self._lock:
            self._listeners.append(listener)

    # --- the reminder ledger ------------------------------------------------

    def reminder_entries(self) -> Mapping[str, dict[str, Any]]:
        """The ledger's entries by key; read-only (entries are replaced, never changed)."""
        with self._lock:
            if self._legacy is not None:  # a schema 1 store opened read-only
                return MappingProxyType(dict(self._legacy))
            return MappingProxyType(dict(self._ledger.entries))

    def put_reminder_entries(self, entries: Mapping[str, dict[str, Any] | None]) -> None:
        """Write ledger entries (None removes one) in one fsynced append; not in the history."""
        with self._lock:
            self._writable()
            rows = {
                key: None if e is None else {**to_json(e), "key": key} for key, e in entries.items()
            }
            self._guarded("ledger", lambda: self._ledger.write(entries=rows))

    def set_snooze(self, deadline_id: str, until: date, user: str) -> Change | None:
        """No reminders for a deadline before `until`; a history record like any change."""
        with self._lock:
            key = self._canonical_key(("snooze", deadline_id))
            old = self._docs["snooze"].get(key[1])
            done = self.commit(user, [(target_of(key), "", old, until.isoformat())])
            return done[0] if done else None

    def set_event(self, name: str, on: date, user: str) -> Change | None:
        with self._lock:
            name = self._event_name(name)
            old = self._docs["event"].get(name)
            done = self.commit(user, [(f"event:{name}", "", old, on.isoformat())])
            return done[0] if done else None

    def set_default_events(
        self, defaults: Mapping[str, date], user: str = "system"
    ) -> list[Change]:
        """Create the events not set yet; never moves one already set."""
        with self._lock:
            known = {n.casefold() for n in self._docs["event"]}
            items = [
                (f"event:{name}", "", None, on.isoformat())
                for name, on in defaults.items()
                if name.casefold() not in known
            ]
            return self.commit(user, items) if items else []

    def set_setting(self, name: str, value: Any, user: str) -> Change | None:
        """A setting people change (such as the reminder channel), kept in the history."""
        with self._lock:
            old = self._docs["setting"].get(name)
            done = self.commit(user, [(f"setting:{name}", "", old, value)])
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
            items, counts, summary = import_items(
                self._docs,
                list(self._objs["deadline"].values()),
                self._taken_deadline_ids(),
                report,
                source,
                allow_removals=allow_removals,
            )
            self.commit(user, items)
            return ImportResult(*counts, summary)

    def _taken_deadline_ids(self) -> set[str]:
        past = {t.partition(":")[2] for t in self._history.targets() if t.startswith("deadline:")}
        return {i.casefold() for i in past | set(self._docs["deadline"])}
