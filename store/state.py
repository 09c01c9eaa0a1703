"""The store's documents in memory: loading them, applying changes, checkpoints to TinyDB."""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from store import model
from store.documents import (
    TABLES,
    ChangeItem,
    Key,
    Work,
    check_dates,
    from_row,
    split_target,
    target_of,
    to_json,
    validated,
)
from store.history import Change, History, not_saved
from store.ledgerfile import LedgerFile, ledger_path
from store.lock import ProcessLock
from store.lookup import (
    canonical_key,
    canonical_target,
    event_name,
    ordered_activities,
    ordered_deadlines,
    ordered_events,
)
from store.records import SET, applied, resolve
from store.requests import Requests
from store.storage import AtomicJSONStorage, ChangedMeanwhile, StoreError
from store.tables import write_checkpoint
from store.upgrade import LEGACY_TABLE, ledger_entries, legacy_rows, snooze_commits

log = logging.getLogger(__name__)

# 2: history records hold deltas, reminder bookkeeping in brs.ledger.jsonl, snoozes in the history.
SCHEMA_VERSION = 2
RESERVED_META = ("schema_version", "applied_seq")
# Write the history's index snapshot at a checkpoint once this many records are not in it.
SNAPSHOT_EVERY = 100


class State:
    """What store.repository.Store is built on: documents, their dataclasses and indexes,
    the history and the ledger file they come from, and the TinyDB file they go to."""

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
        # The Slack request each thread is answering (its key goes into the next batch).
        self.requests = Requests()
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
        check_dates(objs)  # only what changes: an old store's odd value still opens
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

    def _notify(self, recorded: list[Change]) -> None:
        for listener in self._listeners:
            try:
                listener(recorded)
            except Exception:  # the change is saved; a listener's failure must not undo that
                log.exception("store %s: a commit listener failed", self.path)

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
            self._activities, self._activity_index = ordered_activities(self._objs["activity"])
        if "activity" in kinds or "deadline" in kinds:
            found = ordered_deadlines(self._objs["deadline"], self._activities)
            self._deadlines, self._deadline_index = found
        if "event" in kinds:
            self._events = ordered_events(self._objs["event"])

    def _canonical_key(self, key: Key) -> Key:
        return canonical_key(key, self._activity_index, self._deadline_index, self._docs["event"])

    def _canonical_target(self, target: str) -> str:
        return canonical_target(target, self._canonical_key)

    def _event_name(self, name: str) -> str:
        return event_name(name, self._docs["event"])
