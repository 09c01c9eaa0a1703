"""The store: the only way brs reads and changes persisted data; returns model dataclasses."""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

from tinydb import TinyDB

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
    split_target,
    target_of,
    to_json,
    validated,
)
from store.history import Change, History, history_path, not_saved
from store.ledgerfile import LedgerFile, ledger_path
from store.lock import ProcessLock, StoreLocked
from store.records import SET, applied, resolve
from store.reimport import activity_changes, deadline_changes, diff, id_order, next_free, report_doc
from store.storage import AtomicJSONStorage, ChangedMeanwhile, StoreError
from store.tables import write_checkpoint
from store.upgrade import LEGACY_TABLE, ledger_entries, legacy_rows, snooze_commits

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

# 2: history records hold deltas, reminder bookkeeping in brs.ledger.jsonl, snoozes in the history.
SCHEMA_VERSION = 2
RESERVED_META = ("schema_version", "applied_seq")
# Write the history's index snapshot at a checkpoint once this many records are not in it.
SNAPSHOT_EVERY = 100


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    removed: int
    deadlines_added: int
    deadlines_removed: int = 0


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
        ledger: LedgerFile | None = None,
    ) -> None:
        self.path = path
        self.readonly = lock is None
        self._db = db
        self._storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        self._history = history
        self._ledger = ledger or LedgerFile(ledger_path(path), readonly=self.readonly)
        self._process_lock = lock
        self._clock = clock
        # Write the TinyDB file after this many history records (1: after every commit).
        # The history is the durable copy, so a commit then costs one fsync; the file
        # catches up at the next checkpoint or close, and opens replay what it lacks.
        self._checkpoint_every = max(1, checkpoint_every)
        self._lock = threading.RLock()
        self._closed = False
        self._meta_id = 0
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
        self._legacy: dict[str, dict[str, Any]] | None = None  # a schema 1 reminders table
        self._failures: dict[str, str] = {}  # what the last write of each file met

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
            # A schema 1 history gets its deltas before it is indexed (a reader leaves it be).
            metas = [] if readonly else db.table("meta").all()
            old = bool(metas) and metas[0].get("schema_version", 1) < SCHEMA_VERSION
            history = History(history_path(path), readonly=readonly, group=group_of, convert=old)
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
                key = split_target(change.target)
                value = change.new
                if change.op != SET:
                    try:
                        value = applied(work.value_at(key, change.field), change)
                    except ValueError as exc:
                        raise StoreError(
                            f"The history {self._history.path} does not fit the store at "
                            f"record {change.seq} ({exc}); restore both from a backup."
                        ) from None
                work.apply(key, change.field, value)
            self._install(work.values, self._validate_all(work.values), pending[-1].seq)
        self._rebuild(set(TABLES))
        if self._meta.get("schema_version", SCHEMA_VERSION) < SCHEMA_VERSION and not self.readonly:
            self._upgrade(self._legacy or {})
        if not self.readonly and self._history.unsnapshotted >= SNAPSHOT_EVERY:
            self._history.save_snapshot()  # the next open reads it instead of scanning

    def _upgrade(self, rows: dict[str, dict[str, Any]]) -> None:
        """Schema 1 -> 2, in an order a crash can repeat: the ledger file, the snoozes' history
        records (a repeat finds them made), then the database file saying schema 2."""
        moved = {k: v for k, v in self._meta.items() if k not in RESERVED_META}
        self._ledger.replace_all(ledger_entries(rows), moved)
        for user, at, (target, field, _, until) in snooze_commits(rows, self._stamp()):
            old = self._docs["snooze"].get(target.partition(":")[2])
            self._commit(user, [(target, field, old, until)], at)
        self._legacy = None
        self._meta = {"schema_version": SCHEMA_VERSION, "applied_seq": self._applied}
        self._flush(force=True, drop=(LEGACY_TABLE,))

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
        if version < SCHEMA_VERSION:
            self._legacy = legacy_rows(self._db)

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

    def _resolved(self, found: list[Change]) -> list[Change]:
        """Records with their deltas (appends, trims) resolved to whole values."""
        oldest: dict[str, int] = {}
        for r in found:
            if r.op != SET:
                oldest[r.target] = min(oldest.get(r.target, r.seq), r.seq)
        if not oldest:
            return found
        whole: dict[int, Change] = {}
        for target, seq in oldest.items():
            kind, name = split_target(target)
            current = self._docs[kind].get(name)
            whole.update(resolve(current, self._history.newest_first(target, seq)))
        return [whole.get(r.seq, r) for r in found]

    # --- writes -------------------------------------------------------------

    def set_meta(self, key: str, value: Any) -> None:
        """Bookkeeping outside the history (such as the scheduler's last run): the ledger file."""
        with self._lock:
            self._writable()
            if key in RESERVED_META:
                raise StoreError(f"The meta key {key!r} is managed by the store.")
            self._guarded("ledger", lambda: self._ledger.write(meta={key: to_json(value)}))

    def commit(self, user: str, changes: Iterable[ChangeItem]) -> list[Change]:
        """Record and apply changes atomically; returns the records written.

        Each `old` must equal the current value (else StoreError, nothing saved), so a
        change computed from a stale read cannot silently overwrite another. Changes
        whose old equals new are dropped.
        """
        with self._lock:
            return self._commit(user, changes, self._stamp())

    def _commit(self, user: str, changes: Iterable[ChangeItem], at: str) -> list[Change]:
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
        try:
            recorded = self._history.append(str(user), at, items)
        except StoreError as exc:
            self._failures["history"] = str(exc).removeprefix("not saved: ")
            if self._history.problem:
                self._save_what_was_acknowledged()
            raise
        self._failures.pop("history", None)
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
        self, report: model.Report, user: str = "import", *, source: str | None = None
    ) -> ImportResult:
        """Import or re-import: field-level changes into the history; done deadlines stay done."""
        with self._lock:
            self._writable()
            old_report = self._docs["report"].get("")
            if source is None:
                source = old_report.get("source", "") if old_report else ""
            items = diff("report", old_report, report_doc(report, source))
            act_items, counts = activity_changes(self._docs["activity"], report)
            dl_items, dl_added, dl_removed = deadline_changes(
                self._docs["deadline"],
                list(self._objs["deadline"].values()),
                self._taken_deadline_ids(),
                report,
            )
            # Deadlines go before the removal of the activities they belonged to.
            removals = [i for i in act_items if i[3] is None]
            items += [i for i in act_items if i[3] is not None] + dl_items + removals
            self.commit(user, items)
            return ImportResult(*counts, dl_added, dl_removed)

    def _taken_deadline_ids(self) -> set[str]:
        past = {t.partition(":")[2] for t in self._history.targets() if t.startswith("deadline:")}
        return {i.casefold() for i in past | set(self._docs["deadline"])}

    # --- applying -----------------------------------------------------------

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"The store {self.path} is open read-only; nothing was changed.")
        if self._closed:
            raise StoreError(f"The store {self.path} is closed; nothing was changed.")
        lost = self._process_lock.lost() if self._process_lock is not None else None
        if lost:
            raise StoreError(f"not saved: {lost}; restart brs to go on.")

    def _guarded(self, name: str, write: Callable[[], None]) -> None:
        """Run a write, remembering its failure for health() until one succeeds again."""
        try:
            write()
        except StoreError as exc:
            self._failures[name] = str(exc).removeprefix("not saved: ")
            raise
        self._failures.pop(name, None)

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

    def _flush(self, *, force: bool = False, drop: tuple[str, ...] = ()) -> None:
        if not force and not self._unsaved and self._saved == self._applied:
            return
        meta = {**self._meta, "applied_seq": self._applied}
        try:
            write_checkpoint(self._storage, self._unsaved, self._meta_id, meta, drop)
        except OSError as exc:
            self._failures["database"] = not_saved(self.path, exc).removeprefix("not saved: ")
            raise
        self._failures.pop("database", None)
        self._unsaved.clear()
        self._saved = self._meta["applied_seq"] = self._applied
        if self._history.unsnapshotted >= SNAPSHOT_EVERY:
            self._history.save_snapshot()

    def _save_what_was_acknowledged(self) -> None:
        """The history file is gone: what it held since the last checkpoint lives on only in
        memory, so write it to the TinyDB file now; a restart then loses nothing."""
        try:
            self._flush()
        except OSError as exc:
            log.error("store %s: history lost and the database not written: %s", self.path, exc)

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
