"""Reminder bookkeeping in a small journal of its own beside the store (brs.ledger.jsonl)."""

# The sent-ledger's entries and the scheduler's last run change on every reminder run; in the
# TinyDB file each such write rewrote the whole database. Here a write appends one fsynced
# line of what changed, and the file is rewritten to what it holds once the lines outnumber
# the entries, so it stays as small as the schedule.

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from store.history import not_saved
from store.storage import StoreError, fsync_dir, temp_prefix

SLACK = 64  # journal lines allowed beyond the number of entries before a rewrite


def ledger_path(db_path: Path) -> Path:
    """data/brs.json -> data/brs.ledger.jsonl"""
    return db_path.with_name(f"{db_path.stem}.ledger.jsonl")


class LedgerFile:
    """Entries (key -> document) and meta values, each line {"e": {...}, "m": {...}}; a value
    None removes the key. A line cut short by a crash was never acknowledged: it is dropped."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.entries: dict[str, dict[str, Any]] = {}
        self.meta: dict[str, Any] = {}
        self._lines = 0
        self._lock = threading.Lock()
        self._fd: int | None = None
        try:
            self._load()
        except OSError as exc:
            raise StoreError(f"The ledger {path} cannot be read: {exc.strerror}.") from None

    def write(
        self,
        entries: Mapping[str, dict[str, Any] | None] | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        """Record what changed durably (one fsync), then apply it in memory."""
        if self.readonly:
            raise StoreError(f"The store {self.path} is open read-only; nothing was changed.")
        line: dict[str, Any] = {}
        if entries:
            line["e"] = dict(entries)
        if meta:
            line["m"] = dict(meta)
        if not line:
            return
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        with self._lock:
            try:
                if self._fd is None:
                    self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                size = os.fstat(self._fd).st_size
                try:
                    _write_all(self._fd, data)
                    os.fsync(self._fd)
                except OSError:
                    with contextlib.suppress(OSError):
                        os.ftruncate(self._fd, size)
                    raise
            except OSError as exc:
                raise StoreError(not_saved(self.path, exc)) from None
            self._apply(line)
            self._lines += 1
            if self._lines > len(self.entries) + SLACK:
                # The journal as it is holds everything: if this fails, rewrite next time.
                with contextlib.suppress(OSError):
                    self._rewrite()

    def replace_all(self, entries: Mapping[str, dict[str, Any]], meta: Mapping[str, Any]) -> None:
        """Make the ledger hold exactly these (one atomic rewrite)."""
        with self._lock:
            self.entries, self.meta = dict(entries), dict(meta)
            try:
                self._rewrite()
            except OSError as exc:
                raise StoreError(not_saved(self.path, exc)) from None

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def _apply(self, line: Mapping[str, Any]) -> None:
        for into, changes in ((self.entries, line.get("e")), (self.meta, line.get("m"))):
            for key, value in (changes or {}).items():
                if value is None:
                    into.pop(key, None)
                else:
                    into[key] = value

    def _load(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        good = 0
        for raw in data.splitlines(keepends=True):
            try:
                line = json.loads(raw) if raw.endswith(b"\n") else None
            except ValueError:
                line = None
            if not isinstance(line, dict):
                if good + len(raw) < len(data):
                    raise StoreError(
                        f"The reminder ledger {self.path} is damaged at byte {good}; "
                        "restore it from a backup or delete it (reminders may then repeat)."
                    )
                break  # a torn last line
            self._apply(line)
            self._lines += 1
            good += len(raw)
        if good < len(data) and not self.readonly:
            os.truncate(self.path, good)

    def _rewrite(self) -> None:
        line = {"e": self.entries, "m": self.meta}
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        directory = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(self.path), dir=directory)
        try:
            _write_all(fd, data)
            os.fsync(fd)
            os.close(fd)
            fd = -1
            os.replace(tmp, self.path)
        except BaseException:
            if fd >= 0:
                os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        fsync_dir(directory)
        if self._fd is not None:
            os.close(self._fd)  # it points at the file just replaced
            self._fd = None
        self._lines = 1


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
