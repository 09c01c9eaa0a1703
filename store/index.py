"""The history's index (where each record is, by target and by group) and its snapshot file."""

# The snapshot lets an open skip parsing the history: it holds the index as it was when the
# history was `size` bytes long, so only what was written after that is scanned. It is a
# cache: missing, damaged (checksum) or not matching the history, it is ignored.

from __future__ import annotations

import bisect
import contextlib
import json
import mmap
import os
import sys
import tempfile
import zlib
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.storage import temp_prefix

FORMAT = "brs-history-index"
# Bump when what is indexed changes (such as how targets are grouped): old snapshots are ignored.
VERSION = 1
# Seqs and positions: a signed 32-bit number each (two billion records); offsets 64 bits.
SMALL = "i" if array("i").itemsize == 4 else "l"


def snapshot_path(history: Path) -> Path:
    """data/brs.history.jsonl -> data/brs.history.idx"""
    return history.with_suffix(".idx")


class Positions:
    """Name -> array of positions; those loaded from a snapshot stay bytes until first asked
    for (an open needs a few of thousands)."""

    def __init__(self) -> None:
        self._arrays: dict[str, array] = {}
        self._packed: dict[str, memoryview] = {}

    def get(self, name: str, default: Any = None) -> Any:
        found = self._arrays.get(name)
        if found is None and name in self._packed:
            found = self._arrays[name] = array(SMALL)
            found.frombytes(self._packed.pop(name))
        return default if found is None else found

    def add(self, name: str, pos: int) -> None:
        found = self.get(name)
        if found is None:
            found = self._arrays[name] = array(SMALL)
        found.append(pos)

    def count(self, name: str) -> int:
        packed = self._packed.get(name)
        if packed is not None:
            return len(packed) // array(SMALL).itemsize
        return len(self._arrays.get(name, ()))

    def pack(self, name: str, data: memoryview) -> None:
        self._packed[name] = data

    def names(self) -> list[str]:
        return [*self._arrays, *self._packed]

    def raw(self, name: str) -> bytes | memoryview:
        packed = self._packed.get(name)
        return packed if packed is not None else self._arrays[name].tobytes()


class Seqs:
    """Record numbers by position. They run first, first + 1, … unless the store was ahead of
    its history (store.history.History.advance_to), so a run is kept as two numbers."""

    def __init__(self) -> None:
        self.first = 0
        self.run = 0
        self.numbers: array | None = None  # once there is a gap

    def __len__(self) -> int:
        return self.run if self.numbers is None else len(self.numbers)

    def __getitem__(self, pos: int) -> int:
        if self.numbers is not None:
            return self.numbers[pos]
        if pos < 0:
            pos += self.run
        if not 0 <= pos < self.run:
            raise IndexError(pos)
        return self.first + pos

    def append(self, seq: int) -> None:
        if self.numbers is None:
            if self.run == 0:
                self.first = seq
            if seq == self.first + self.run:
                self.run += 1
                return
            self.numbers = array(SMALL, range(self.first, self.first + self.run))
        self.numbers.append(seq)

    def after(self, seq: int) -> int:
        """The position of the first record numbered after `seq`."""
        if self.numbers is not None:
            return bisect.bisect_right(self.numbers, seq)
        return min(max(seq - self.first + 1, 0), self.run)


class Index:
    """Positions (0, 1, … in file order) of the records, each with its seq and byte offset.

    Arrays keep 4 bytes a number (8 for byte offsets) where a list of ints costs about 36.
    """

    def __init__(self, group: Callable[[str], str | None]) -> None:
        self.group = group
        self.seqs = Seqs()
        self.offsets = array("q")
        self.by_target = Positions()
        self.by_group = Positions()

    def __len__(self) -> int:
        return len(self.seqs)

    def add(self, seq: int, target: str, offset: int) -> None:
        pos = len(self.seqs)
        self.seqs.append(seq)
        self.offsets.append(offset)
        self.by_target.add(target, pos)
        group = self.group(target)
        if group is not None:
            self.by_group.add(group, pos)


def save(path: Path, index: Index, size: int, next_seq: int, check: list[int]) -> None:
    """Write the snapshot beside the history (temp file and rename: never seen half written)."""
    targets, groups = index.by_target.names(), index.by_group.names()
    seqs = index.seqs
    numbered = b"" if seqs.numbers is None else seqs.numbers.tobytes()
    parts: list[bytes | memoryview] = [numbered, index.offsets.tobytes()]
    parts += [index.by_target.raw(t) for t in targets] + [index.by_group.raw(g) for g in groups]
    payload = b"".join(parts)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "byteorder": sys.byteorder,
        "small": SMALL,
        "size": size,
        "next_seq": next_seq,
        "count": len(index),
        "run": None if seqs.numbers is not None else [seqs.first, seqs.run],
        "check": check,
        "targets": targets,
        "target_counts": [index.by_target.count(t) for t in targets],
        "groups": groups,
        "group_counts": [index.by_group.count(g) for g in groups],
        "crc": zlib.crc32(payload),
    }
    data = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.write(payload)
        # No fsync: the snapshot is a cache; a torn one fails its checksum and is ignored.
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(path: Path, group: Callable[[str], str | None]) -> tuple[Index, dict] | None:
    """The snapshot's index and header, or None if there is none or it cannot be trusted."""
    try:
        with open(path, "rb") as handle:
            # Mapped, not read: the per-target arrays stay in the page cache until asked for.
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        end = data.find(b"\n")
        if end < 0:
            return None
        header = json.loads(data[:end])
        if header.get("format") != FORMAT or header.get("version") != VERSION:
            return None
        if header["byteorder"] != sys.byteorder or header["small"] != SMALL:
            return None
        payload = memoryview(data)[end + 1 :]
        if zlib.crc32(payload) != header["crc"]:
            return None
        count = int(header["count"])
        index = Index(group)
        at = 0

        def take(n: int, typecode: str = SMALL) -> memoryview:
            nonlocal at
            size = n * array(typecode).itemsize
            at += size
            return payload[at - size : at]

        if header["run"] is None:
            index.seqs.numbers = array(SMALL)
            index.seqs.numbers.frombytes(take(count))
        else:
            index.seqs.first, index.seqs.run = (int(n) for n in header["run"])
            if index.seqs.run != count:
                return None
        index.offsets.frombytes(take(count, "q"))
        for name, n in zip(header["targets"], header["target_counts"], strict=True):
            index.by_target.pack(name, take(n))
        for name, n in zip(header["groups"], header["group_counts"], strict=True):
            index.by_group.pack(name, take(n))
        if at != len(payload) or len(index.offsets) != count:
            return None
        return index, header
    except (OSError, ValueError, KeyError, TypeError):
        return None
