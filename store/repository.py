"""The store: the only way brs reads and changes persisted data; returns model dataclasses."""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

from tinydb import TinyDB, where

from store import model
from store.documents import (
    EMPTY_REPORT,
    TABLES,
    ChangeItem,
    Key,
    ReportInfo,
    Work,
    from_row,
    group_of,
    replacing,
    split_target,
    target_of,
    to_json,
    to_row,
    validated,
)
from store.history import Change, History, history_path
from store.lock import ProcessLock, StoreLocked
from store.reimport import ImportReport, id_order, import_items, next_free
from store.storage import AtomicJSONStorage, ChangedMeanwhile, StoreError

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

SCHEMA_VERSION = 1
RESERVED_META = ("schema_version", "applied_seq")
# The reminder ledger (jobs.ledger): bookkeeping outside the history, bounded by deadlines × leads.
REMINDERS_TABLE = "reminders"


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


class Store:
    """Write-ahead: a change is appended to the history (fsync) before TinyDB sees it.

    TinyDB records in meta.applied_seq how far it has applied the history, and
    each application (documents plus applied_seq) lands in one atomic file write,
    so on open the records after applied_seq are simply applied again.
    """

    def __init__(
        self,
        path: Path,
        db: TinyDB,
        history: History,
        lock: ProcessLock | None,
        clock: Callable[[], datetime],
        checkpoint_every: int = 1,
    ) -> None:
        self.path = path
        self.readonly = lock is None
        self._db = db
        self._storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        self._history = history
        self._process_lock = lock
        self._clock = clock
        # Write the TinyDB file after this many history records (1: after every commit).
        # The history is the durable copy, so a commit then costs one fsync; the file
        # catches up at the next checkpoint or close, and opens replay what it lacks.
        self._checkpoint_every = max(1, checkpoint_every)
        self._lock = threading.RLock()
        self._closed = False
        self._meta_id: int | None = None
        self._meta: dict[str, Any] = {}
        self._docs: dict[str, dict[str, Any]] = {kind: {} for kind in TABLES}
        self._objs: dict[str, dict[str, Any]] = {kind: {} for kind in TABLES}
        self._unsaved: dict[Key, Any] = {}
        self._applied = 0
        self._saved = 0
        self._activities: tuple[model.Activity, ...] = ()
        self._activity_index: dict[str, model.Activity] = {}
        self._deadlines: tuple[model.Deadline, ...] = ()
        self._deadline_index: dict[str, model.Deadline] = {}
        self._events: dict[str, date] = {}
        self._listeners: list[Callable[[list[Change]], None]] = []
        self._reminders: dict[str, dict[str, Any]] | None = None  # loaded on first use
        self._reminder_ids: dict[str, int] = {}

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
        opened: list[Any] = [lock] if lock else []
        try:
            db = TinyDB(path, storage=AtomicJSONStorage, readonly=readonly)
            opened.append(db)
            history = History(history_path(path), readonly=readonly, group=group_of)
            opened.append(history)
            store = cls(path, db, history, lock, clock, checkpoint_every)
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
            except OSError as exc:
                # The history holds these changes; the next open applies them.
                log.warning("store %s: deferred write failed on close: %s", self.path, exc)
            finally:
                self._history.close()
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

    def _load(self) -> None:
        # One batch reads the file once: every table comes from the same version of
        # it, even while another process replaces it (a read-only open).
        with self._storage.batch():
            self._load_tables()
        self._applied = self._saved = int(self._meta.get("applied_seq", 0))
        self._history.advance_to(self._applied)
        for kind, docs in self._docs.items():
            for name, value in docs.items():
                self._objs[kind][name] = validated(kind, name, value)
        pending = self._history.since(self._applied)
        if pending:
            work = Work(self._docs)
            for change in pending:
                work.apply(split_target(change.target), change.field, change.new)
            self._install(work.values, self._validate_all(work.values), pending[-1].seq)
        self._rebuild(set(TABLES))

    def _load_tables(self) -> None:
        meta_table = self._db.table("meta")
        metas = meta_table.all()
        if metas:
            self._meta_id, self._meta = metas[0].doc_id, dict(metas[0])
        elif not self.readonly:
            self._meta = {"schema_version": SCHEMA_VERSION, "applied_seq": 0}
            self._meta_id = meta_table.insert(self._meta)
        version = self._meta.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise StoreError(
                f"The store {self.path} has schema version {version} but this brs reads "
                f"{SCHEMA_VERSION}; upgrade brs or set BRS_DB to another file."
            )
        for kind, (table, key) in TABLES.items():
            for doc in self._db.table(table).all():
                name, value = from_row(kind, key, copy.deepcopy(dict(doc)))
                self._docs[kind][name] = value

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

    def setting(self, name: str, default: Any = None) -> Any:
        with self._lock:
            return copy.deepcopy(self._docs["setting"].get(name, default))

    def history(self, code_or_target: str, *, newest: int | None = None) -> list[Change]:
        """One target's records ("event:COP-2013"), or an activity's and its deadlines'.

        Oldest first; with `newest`, only that many of the latest (an activity's).
        """
        with self._lock:
            if ":" in code_or_target or code_or_target == "report":
                return list(self._history.changes(self._canonical_target(code_or_target)))
            return self._history.in_group(code_or_target.strip().casefold(), newest)

    def history_count(self, code: str) -> int:
        """How many records an activity and its deadlines have, without reading them."""
        with self._lock:
            return self._history.count_in_group(code.strip().casefold())

    def last_change(self, code: str) -> Change | None:
        """The newest record of an activity or its deadlines."""
        with self._lock:
            return self._history.last_in_group(code.strip().casefold())

    def get_meta(self, key: str, default: Any = None) -> Any:
        with self._lock:
            return copy.deepcopy(self._meta.get(key, default))

    def next_deadline_id(self, code: str) -> str:
        """A fresh id such as "S17-8" for a new deadline of activity `code`; never a past one."""
        with self._lock:
            return next_free(code, self._taken_deadline_ids())

    # --- writes -------------------------------------------------------------

    def set_meta(self, key: str, value: Any) -> None:
        """Bookkeeping outside the history (such as the scheduler's last run)."""
        with self._lock:
            self._writable()
            if key in RESERVED_META:
                raise StoreError(f"The meta key {key!r} is managed by the store.")
            value = to_json(value)
            try:
                self._db.table("meta").update({key: value}, doc_ids=[self._meta_id])
            except OSError as exc:
                raise StoreError(f"Cannot write {self.path}: {exc.strerror}.") from None
            self._meta[key] = value

    def commit(self, user: str, changes: Iterable[ChangeItem]) -> list[Change]:
        """Record and apply changes atomically; returns the records written.

        Each `old` must equal the current value (else StoreError, nothing saved), so a
        change computed from a stale read cannot silently overwrite another. Changes
        whose old equals new are dropped.
        """
        with self._lock:
            self._writable()
            work = Work(self._docs)
            items: list[ChangeItem] = []
            for target, field, old, new in changes:
                key = self._canonical_key(split_target(target))
                target = target_of(key)
                old, new = to_json(old), to_json(new)
                if work.value_at(key, field) != old:
                    raise ChangedMeanwhile(
                        f"{target} {field or 'document'} was changed meanwhile; "
                        "nothing was saved, try again."
                    )
                if old != new:
                    work.apply(key, field, new)
                    items.append((target, field, old, new))
            if not items:
                return []
            objs = self._validate_all(work.values)
            recorded = self._history.append(str(user), self._stamp(), items)
            self._install(work.values, objs, recorded[-1].seq)
            self._notify(recorded)
            return recorded

    def on_commit(self, listener: Callable[[list[Change]], None]) -> None:
        """Call `listener` with the records of every later commit (the scheduler reschedules)."""
        with self._lock:
            self._listeners.append(listener)

    def _notify(self, recorded: list[Change]) -> None:
        for listener in self._listeners:
            try:
                listener(recorded)
            except Exception:  # the change is saved; a listener's failure must not undo that
                log.exception("store %s: a commit listener failed", self.path)

    # --- the reminder ledger ------------------------------------------------

    def reminder_entries(self) -> Mapping[str, dict[str, Any]]:
        """The ledger's entries by key; read-only (entries are replaced, never changed)."""
        with self._lock:
            return MappingProxyType(dict(self._reminder_docs()))

    def put_reminder_entries(self, entries: Mapping[str, dict[str, Any] | None]) -> None:
        """Write ledger entries (None removes one) in one atomic file write; not in the history."""
        with self._lock:
            self._writable()
            docs = self._reminder_docs()
            table = self._db.table(REMINDERS_TABLE)
            rows = {
                key: None if e is None else {**to_json(e), "key": key} for key, e in entries.items()
            }
            ids = dict(self._reminder_ids)
            try:
                with self._storage.batch():
                    for key, row in rows.items():
                        doc_id = ids.get(key)
                        if row is None:
                            if doc_id is not None:
                                table.remove(doc_ids=[ids.pop(key)])
                        elif doc_id is None:
                            ids[key] = table.insert(row)
                        else:
                            table.update(replacing(row), doc_ids=[doc_id])
            except OSError as exc:
                raise StoreError(f"Cannot write {self.path}: {exc.strerror}.") from None
            self._reminder_ids = ids
            for key, row in rows.items():
                if row is None:
                    docs.pop(key, None)
                else:
                    docs[key] = row

    def _reminder_docs(self) -> dict[str, dict[str, Any]]:
        if self._reminders is None:
            table = self._db.table(REMINDERS_TABLE)
            rows = table.all()
            self._reminders = {str(r["key"]): dict(r) for r in rows}
            self._reminder_ids = {str(r["key"]): r.doc_id for r in rows}
        return self._reminders

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

    # --- applying -----------------------------------------------------------

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"The store {self.path} is open read-only; nothing was changed.")
        if self._closed:
            raise StoreError(f"The store {self.path} is closed; nothing was changed.")

    def _stamp(self) -> str:
        return self._clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _validate_all(self, values: dict[Key, Any]) -> dict[Key, Any]:
        return {key: validated(*key, value) for key, value in values.items() if value is not None}

    def _install(self, values: dict[Key, Any], objs: dict[Key, Any], seq: int) -> None:
        """Make applied changes current in memory, then write them to TinyDB."""
        for key, value in values.items():
            kind, name = key
            if value is None:
                self._docs[kind].pop(name, None)
                self._objs[kind].pop(name, None)
            else:
                self._docs[kind][name] = value
                self._objs[kind][name] = objs[key]
        self._applied = seq
        self._rebuild({kind for kind, _ in values})
        if self.readonly:
            return  # replayed in memory only: the owner of the file writes it
        self._unsaved.update(values)
        if self._applied - self._saved < self._checkpoint_every:
            return  # durable in the history; the next checkpoint or close() writes the file
        try:
            self._flush()
        except OSError as exc:
            # Already durable in the history: the next write (or open) applies it.
            log.warning("store %s: write deferred: %s", self.path, exc)

    def _flush(self) -> None:
        if not self._unsaved and self._saved == self._applied:
            return
        with self._storage.batch():
            for (kind, name), value in self._unsaved.items():
                table_name, key = TABLES[kind]
                table = self._db.table(table_name)
                if kind == "report":
                    table.truncate()
                    if value is not None:
                        table.insert(value)
                    continue
                cond = where(key) == name
                if value is None:
                    table.remove(cond)
                else:
                    row = to_row(kind, key, name, value)
                    if not table.update(replacing(row), cond):
                        table.insert(row)
            self._db.table("meta").update({"applied_seq": self._applied}, doc_ids=[self._meta_id])
        self._unsaved.clear()
        self._saved = self._meta["applied_seq"] = self._applied

    def _rebuild(self, kinds: set[str]) -> None:
        if "activity" in kinds:
            acts = sorted(self._objs["activity"].values(), key=lambda a: (a.order, a.code))
            self._activities = tuple(acts)
            self._activity_index = {a.code.casefold(): a for a in acts}
        if "activity" in kinds or "deadline" in kinds:
            rank = {a.code: i for i, a in enumerate(self._activities)}
            dls = sorted(
                self._objs["deadline"].values(),
                key=lambda d: (rank.get(d.activity, len(rank)), d.activity, *id_order(d)),
            )
            self._deadlines = tuple(dls)
            self._deadline_index = {d.id.casefold(): d for d in dls}
        if "event" in kinds:
            self._events = dict(sorted(self._objs["event"].items()))

    def _canonical_key(self, key: Key) -> Key:
        """Activity, deadline and event names match whatever their case."""
        kind, name = key
        if kind == "activity" and (a := self._activity_index.get(name.casefold())):
            return (kind, a.code)
        if kind == "deadline" and (d := self._deadline_index.get(name.casefold())):
            return (kind, d.id)
        if kind == "event":
            return (kind, self._event_name(name))
        return key

    def _canonical_target(self, target: str) -> str:
        kind, _, name = target.strip().partition(":")
        if kind.lower() == "report":
            return "report"
        return target_of(self._canonical_key((kind.lower(), name)))

    def _event_name(self, name: str) -> str:
        for known in self._docs["event"]:
            if known.casefold() == name.casefold():
                return known
        return name
