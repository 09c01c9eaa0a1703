"""The append-only change history: a JSON-lines file beside the store, indexed in memory."""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from store.storage import StoreError, fsync_dir

# A change before it has a number: (target, field, old, new).
Item = tuple[str, str, Any, Any]


@dataclass(frozen=True)
class Change:
    """One recorded change: `field` is a dotted path in `target`'s document ("" = all of it).

    `old` None means the document was created, `new` None that it was removed.
    """

    seq: int
    target: str
    field: str
    old: Any
    new: Any
    user: str
    at: str  # UTC, ISO-8601 with "Z"
    # The seq of the last record of the commit it belongs to: undo reverts whole commits.
    batch: int = field(default=0, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """ "activity", "deadline", "event", "setting" or "report"."""
        return self.target.partition(":")[0]

    @property
    def name(self) -> str:
        return self.target.partition(":")[2]


def history_path(db_path: Path) -> Path:
    """data/brs.json -> data/brs.history.jsonl"""
    return db_path.with_name(f"{db_path.stem}.history.jsonl")


class History:
    """Records are appended in batches (one fsync each) and never rewritten.

    Each line carries `end`, the seq of its batch's last record, so a batch cut
    short by a crash is recognised and dropped whole: a batch is all or nothing.
    `group` maps a target to a key (such as its activity) indexed beside the target.
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
        self._group = group or (lambda target: None)
        self._lock = threading.Lock()
        self._seqs: list[int] = []
        self._offsets: list[int] = []
        self._by_target: dict[str, list[int]] = {}
        self._by_group: dict[str, list[int]] = {}
        self._last: dict[str, Change] = {}
        self._last_group: dict[str, Change] = {}
        self._next_seq = 1
        self._size = 0
        self._reader: int | None = None
        self._writer: int | None = None
        try:
            self._open()
        except OSError as exc:
            raise StoreError(f"The history {path} cannot be opened: {exc.strerror}.") from None

    # --- reading ----------------------------------------------------------

    @property
    def last_seq(self) -> int:
        return self._seqs[-1] if self._seqs else 0

    def __len__(self) -> int:
        return len(self._seqs)

    def changes(self, target: str | None = None) -> Iterator[Change]:
        """All records, or one target's, oldest first."""
        with self._lock:
            positions = range(len(self._seqs)) if target is None else self._by_target.get(target)
            positions = list(positions or ())
        for pos in positions:
            yield self._read(pos)

    def in_group(self, group: str, newest: int | None = None) -> list[Change]:
        """A group's records, oldest first; only the last `newest` if given (reads cost I/O)."""
        with self._lock:
            positions = list(self._by_group.get(group, ()))
        if newest is not None:
            positions = positions[-newest:] if newest > 0 else []
        return [self._read(pos) for pos in positions]

    def count_in_group(self, group: str) -> int:
        with self._lock:
            return len(self._by_group.get(group, ()))

    def since(self, seq: int) -> list[Change]:
        """Records numbered after `seq`, oldest first."""
        with self._lock:
            start = bisect.bisect_right(self._seqs, seq)
            positions = range(start, len(self._seqs))
        return [self._read(pos) for pos in positions]

    def last(self, target: str) -> Change | None:
        return self._last.get(target)

    def last_in_group(self, group: str) -> Change | None:
        return self._last_group.get(group)

    def targets(self) -> set[str]:
        """Every target that ever had a record."""
        with self._lock:
            return set(self._by_target)

    # --- writing ----------------------------------------------------------

    def advance_to(self, seq: int) -> None:
        """Number the next record after `seq` at least (the store may be ahead of its log)."""
        with self._lock:
            self._next_seq = max(self._next_seq, seq + 1)

    def append(self, user: str, at: str, items: Iterable[Item]) -> list[Change]:
        """Write a batch durably (one fsync) and return its records."""
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
            lines = [_encode(c, end) for c in changes]
            start = self._size
            try:
                _write_all(self._writer, b"".join(lines))
                os.fsync(self._writer)
            except OSError as exc:
                # Leave no partial batch for the next append to follow.
                with contextlib.suppress(OSError):
                    os.ftruncate(self._writer, start)
                raise StoreError(
                    f"The history {self.path} cannot be written ({exc.strerror}); "
                    "nothing was saved."
                ) from None
            offset = start
            for change, line in zip(changes, lines, strict=True):
                self._index(change, offset)
                offset += len(line)
            self._size = offset
            self._next_seq = end + 1
            return changes

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                os.close(self._writer)
                self._writer = None
            if self._reader is not None:
                os.close(self._reader)
                self._reader = None

    # --- internals --------------------------------------------------------

    def _open(self) -> None:
        if not self.path.exists():
            if self.readonly:
                return
            self.path.touch()
            fsync_dir(self.path.parent)
        self._reader = os.open(self.path, os.O_RDONLY)
        good = self._scan()
        if not self.readonly:
            if good < os.fstat(self._reader).st_size:
                # A batch cut short by a crash was never acknowledged: drop it.
                os.truncate(self.path, good)
            self._writer = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            os.fsync(self._writer)
        self._size = good

    def _scan(self) -> int:
        """Index every complete batch; return the byte length they occupy."""
        batch: list[tuple[Change, int, int]] = []
        good = offset = 0
        damaged_at: int | None = None
        with open(self.path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                record = _decode(line)
                if record is not None and batch and record[1] != batch[-1][1]:
                    record = None  # a new batch began before the last one ended
                if record is None:
                    damaged_at = damaged_at or number
                elif damaged_at is not None:
                    raise StoreError(
                        f"The history {self.path} is damaged at line {damaged_at}; "
                        "restore it from a backup."
                    )
                else:
                    change, end = record
                    batch.append((change, end, offset))
                    if change.seq == end:
                        for done, _, at in batch:
                            self._index(done, at)
                        batch = []
                        good = offset + len(line)
                offset += len(line)
        self._next_seq = self.last_seq + 1
        return good

    def _index(self, change: Change, offset: int) -> None:
        pos = len(self._seqs)
        self._seqs.append(change.seq)
        self._offsets.append(offset)
        self._by_target.setdefault(change.target, []).append(pos)
        self._last[change.target] = change
        group = self._group(change.target)
        if group is not None:
            self._by_group.setdefault(group, []).append(pos)
            self._last_group[group] = change

    def _read(self, pos: int) -> Change:
        start = self._offsets[pos]
        end = self._offsets[pos + 1] if pos + 1 < len(self._offsets) else self._size
        record = _decode(os.pread(self._reader, end - start, start))
        if record is None:
            raise StoreError(f"The history {self.path} changed under this process.")
        return record[0]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _encode(change: Change, end: int) -> bytes:
    record = asdict(change)
    del record["batch"]  # the line's "end" says it
    record["end"] = end
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _decode(line: bytes) -> tuple[Change, int] | None:
    if not line.endswith(b"\n"):
        return None
    try:
        d = json.loads(line)
        change = Change(
            seq=int(d["seq"]),
            target=str(d["target"]),
            field=str(d["field"]),
            old=d["old"],
            new=d["new"],
            user=str(d["user"]),
            at=str(d["at"]),
            batch=int(d["end"]),
        )
        return change, change.batch
    except (ValueError, KeyError, TypeError):
        return None
