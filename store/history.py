"""The append-only change history: a JSON-lines file beside the store, indexed in memory."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from store import index as snapshots
from store.index import Index
from store.records import Change, Item, compact, decode, encode
from store.storage import StoreError, fsync_dir

__all__ = ["Change", "History", "Item", "history_path", "not_saved"]

log = logging.getLogger(__name__)


def history_path(db_path: Path) -> Path:
    """data/brs.json -> data/brs.history.jsonl"""
    return db_path.with_name(f"{db_path.stem}.history.jsonl")


def not_saved(path: Path, exc: OSError) -> str:
    """What a failed write tells the person who asked for it."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"not saved: the disk is full ({path}); free some space and try again."
    return f"not saved: {path} cannot be written ({exc.strerror or exc})."


class History:
    """Records are appended in batches (one fsync each) and never rewritten.

    Each line carries `end`, the seq of its batch's last record, so a batch cut
    short by a crash is recognised and dropped whole: a batch is all or nothing.
    `group` maps a target to a key (such as its activity) indexed beside the target.
    Reads return records as stored: an "append" or "trim" record holds only what
    changed (see store.records.Change); the store resolves them to whole values.
    """

    def __init__(
        self,
        path: Path,
        *,
        readonly: bool = False,
        group: Callable[[str], str | None] | None = None,
    ) -> None:
        self.path = path
        self.readonly = readonly
        self._ix = Index(group or (lambda target: None))
        self._lock = threading.Lock()
        self._last_group: dict[str, Change] = {}
        self._next_seq = 1
        self._size = 0
        self._snapshot_count = 0  # records the snapshot on disk covers
        self._reader = -1  # -1: no file to read (a read-only open of a missing history)
        self._writer: int | None = None
        self._identity: tuple[int, int] | None = None
        self.problem: str | None = None  # why nothing can be appended any more
        try:
            self._open()
        except OSError as exc:
            raise StoreError(f"The history {path} cannot be opened: {exc.strerror}.") from None

    # --- reading ----------------------------------------------------------

    @property
    def last_seq(self) -> int:
        return self._ix.seqs[-1] if len(self._ix.seqs) else 0

    def __len__(self) -> int:
        return len(self._ix)

    def changes(self, target: str | None = None) -> Iterator[Change]:
        """All records, or one target's, oldest first."""
        with self._lock:
            positions: Iterable[int] = (
                range(len(self._ix)) if target is None else list(self._ix.by_target.get(target, ()))
            )
        for pos in positions:
            yield self._read(pos)

    def in_group(self, group: str, newest: int | None = None) -> list[Change]:
        """A group's records, oldest first; only the last `newest` if given (reads cost I/O)."""
        with self._lock:
            positions: Sequence[int] = self._ix.by_group.get(group, ())[:]
        if newest is not None:
            positions = positions[-newest:] if newest > 0 else ()
        return [self._read(pos) for pos in positions]

    def count_in_group(self, group: str) -> int:
        with self._lock:
            return self._ix.by_group.count(group)

    def since(self, seq: int) -> list[Change]:
        """Records numbered after `seq`, oldest first."""
        with self._lock:
            start = self._ix.seqs.after(seq)
            positions = range(start, len(self._ix))
        return [self._read(pos) for pos in positions]

    def newest_first(self, target: str, down_to: int) -> list[Change]:
        """One target's records numbered `down_to` or later, newest first."""
        with self._lock:
            positions = self._ix.by_target.get(target, ())
            seqs = self._ix.seqs
            # Positions grow with seq, so the wanted ones are a tail of the target's list.
            lo, hi = 0, len(positions)
            while lo < hi:
                mid = (lo + hi) // 2
                if seqs[positions[mid]] < down_to:
                    lo = mid + 1
                else:
                    hi = mid
            wanted = positions[lo:]
        return [self._read(pos) for pos in reversed(wanted)]

    def last(self, target: str) -> Change | None:
        with self._lock:
            positions = self._ix.by_target.get(target)
        return self._read(positions[-1]) if positions else None

    def last_in_group(self, group: str) -> Change | None:
        with self._lock:
            if group in self._last_group:
                return self._last_group[group]
            positions = self._ix.by_group.get(group)
        found = self._read(positions[-1]) if positions else None
        if found is not None:
            with self._lock:
                self._last_group.setdefault(group, found)
        return found

    def targets(self) -> set[str]:
        """Every target that ever had a record."""
        with self._lock:
            return set(self._ix.by_target.names())

    # --- writing ----------------------------------------------------------

    def advance_to(self, seq: int) -> None:
        """Number the next record after `seq` at least (the store may be ahead of its log)."""
        with self._lock:
            self._next_seq = max(self._next_seq, seq + 1)

    def append(self, user: str, at: str, items: Iterable[Item]) -> list[Change]:
        """Write a batch durably (one fsync) and return its records, with whole values."""
        if self.readonly:
            raise StoreError(f"The history {self.path} is open read-only; nothing was written.")
        items = list(items)
        with self._lock:
            first = self._next_seq
            end = first + len(items) - 1
            changes = [
                Change(first + i, target, field, old, new, user, at, batch=end)
                for i, (target, field, old, new) in enumerate(items)
            ]
            if not changes:
                return []
            writer = self._check_file()
            stored = [compact(c) for c in changes]
            lines = [encode(c, end) for c in stored]
            start = self._size
            try:
                _write_all(writer, b"".join(lines))
                os.fsync(writer)
            except OSError as exc:
                # Leave no partial batch for the next append to follow.
                with contextlib.suppress(OSError):
                    os.ftruncate(writer, start)
                raise StoreError(not_saved(self.path, exc)) from None
            offset = start
            for change, line in zip(stored, lines, strict=True):
                self._ix.add(change.seq, change.target, offset)
                if (group := self._ix.group(change.target)) is not None:
                    self._last_group[group] = change
                offset += len(line)
            self._size = offset
            self._next_seq = end + 1
            return changes

    def check(self) -> str | None:
        """Why appending would fail now (the file deleted or replaced), or None."""
        if self.readonly:
            return None
        with self._lock:
            with contextlib.suppress(StoreError):
                self._check_file()
            return self.problem

    def save_snapshot(self) -> None:
        """Write the index beside the history, so the next open reads it instead of the file."""
        with self._lock:
            if self.readonly or self._snapshot_count == len(self._ix) or self.problem:
                return
            if len(self._ix) == 0:
                return
            try:
                snapshots.save(
                    snapshots.snapshot_path(self.path),
                    self._ix,
                    self._size,
                    self._next_seq,
                    self._check_crcs(),
                )
            except OSError as exc:  # only a cache: the next open scans instead
                log.warning("history %s: index snapshot not written: %s", self.path, exc)
                return
            self._snapshot_count = len(self._ix)

    @property
    def unsnapshotted(self) -> int:
        """Records an open would have to parse because the snapshot does not cover them."""
        return len(self._ix) - self._snapshot_count

    def close(self) -> None:
        with self._lock:
            for fd in (self._writer, self._reader):
                if fd is not None and fd >= 0:
                    os.close(fd)
            self._writer, self._reader = None, -1

    # --- internals --------------------------------------------------------

    def _check_file(self) -> int:
        """The descriptor to append to; StoreError if the file was deleted or replaced, since
        what is appended to it then would be lost."""
        writer = self._writer
        if writer is None:
            raise StoreError(f"not saved: the history {self.path} is closed.")
        if self.problem is None:
            try:
                now = os.stat(self.path)
            except FileNotFoundError:
                now = None
            if now is not None and (now.st_dev, now.st_ino) != self._identity:
                self.problem = f"the history file {self.path} was replaced by another file"
            elif now is None or os.fstat(writer).st_nlink == 0:
                self.problem = f"the history file {self.path} was deleted"
        if self.problem is not None:
            raise StoreError(f"not saved: {self.problem}; restart brs to go on.")
        return writer

    def _open(self) -> None:
        if not self.path.exists():
            if self.readonly:
                return
            self.path.touch()
            fsync_dir(self.path.parent)
        self._reader = os.open(self.path, os.O_RDONLY)
        good = self._from_snapshot()
        if good is None:
            self._ix = Index(self._ix.group)
            good = self._scan(0)
        if not self.readonly:
            if good < os.fstat(self._reader).st_size:
                # A batch cut short by a crash was never acknowledged: drop it.
                os.truncate(self.path, good)
            self._writer = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            os.fsync(self._writer)
            st = os.fstat(self._writer)
            self._identity = (st.st_dev, st.st_ino)
        self._size = good

    def _from_snapshot(self) -> int | None:
        """Load the snapshot and scan what follows it; None if it does not match the file."""
        found = snapshots.load(snapshots.snapshot_path(self.path), self._ix.group)
        if found is None:
            return None
        ix, header = found
        size = int(header["size"])
        if size > os.fstat(self._reader).st_size or (len(ix) == 0) != (size == 0):
            return None
        self._ix, self._size = ix, size
        if header.get("check") != self._check_crcs():
            return None
        self._snapshot_count = len(ix)
        good = self._scan(size)
        self._next_seq = max(self._next_seq, int(header["next_seq"]))
        return good

    def _check_crcs(self) -> list[int]:
        """Checksums of the first and the last record's lines: a snapshot of another file, or
        of this one before it was cut or rewritten, does not match them."""
        if not len(self._ix):
            return []
        offsets = self._ix.offsets
        first_end = offsets[1] if len(offsets) > 1 else self._size
        first = os.pread(self._reader, first_end - offsets[0], offsets[0])
        last = os.pread(self._reader, self._size - offsets[-1], offsets[-1])
        return [zlib.crc32(first), zlib.crc32(last)]

    def _scan(self, start: int) -> int:
        """Index every complete batch from byte `start`; return the byte length they end at."""
        batch: list[tuple[Change, int]] = []
        good = offset = start
        damaged_at: int | None = None
        with open(self.path, "rb") as handle:
            handle.seek(start)
            for number, line in enumerate(handle, start=1):
                record = decode(line)
                if record is not None and batch and record.batch != batch[-1][0].batch:
                    record = None  # a new batch began before the last one ended
                if record is None:
                    damaged_at = damaged_at or number
                elif damaged_at is not None:
                    where = f"line {damaged_at}" if start == 0 else f"byte {start} + {damaged_at}"
                    raise StoreError(
                        f"The history {self.path} is damaged at {where}; restore it from a backup."
                    )
                else:
                    batch.append((record, offset))
                    if record.seq == record.batch:
                        for done, at in batch:
                            self._ix.add(done.seq, done.target, at)
                        batch = []
                        good = offset + len(line)
                offset += len(line)
        self._next_seq = max(self._next_seq, self.last_seq + 1)
        return good

    def _read(self, pos: int) -> Change:
        offsets = self._ix.offsets
        start = offsets[pos]
        end = offsets[pos + 1] if pos + 1 < len(offsets) else self._size
        record = decode(os.pread(self._reader, end - start, start))
        if record is None:
            raise StoreError(f"The history {self.path} changed under this process.")
        return record


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
