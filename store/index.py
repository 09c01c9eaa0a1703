"""The history's index (where each record is, by target and by group) and its snapshot file.

The snapshot lets an open skip parsing the history: it holds the index as it was when the
history was `size` bytes long, so only what was written after that is scanned. It is a
cache: missing, damaged (checksum) or not matching the history, it is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import zlib
from array import array
from collections.abc import Callable
from pathlib import Path

FORMAT = "brs-history-index"
# Bump when what is indexed changes (such as how targets are grouped): old snapshots are ignored.
VERSION = 1


def snapshot_path(history: Path) -> Path:
    """data/brs.history.jsonl -> data/brs.history.idx"""
    return history.with_suffix(".idx")


class Index:
    """Positions (0, 1, … in file order) of the records, each with its seq and byte offset.

    array('q') keeps 8 bytes a number where a list of ints costs about 36.
    """

    def __init__(self, group: Callable[[str], str | None]) -> None:
        self.group = group
        self.seqs = array("q")
        self.offsets = array("q")
        self.by_target: dict[str, array] = {}
        self.by_group: dict[str, array] = {}

    def __len__(self) -> int:
        return len(self.seqs)

    def add(self, seq: int, target: str, offset: int) -> None:
        pos = len(self.seqs)
        self.seqs.append(seq)
        self.offsets.append(offset)
        positions = self.by_target.get(target)
        if positions is None:
            positions = self.by_target[target] = array("q")
        positions.append(pos)
        group = self.group(target)
        if group is not None:
            positions = self.by_group.get(group)
            if positions is None:
                positions = self.by_group[group] = array("q")
            positions.append(pos)


def save(path: Path, index: Index, size: int, next_seq: int, check: list[int]) -> None:
    """Write the snapshot beside the history (temp file and rename: never seen half written)."""
    targets, groups = list(index.by_target), list(index.by_group)
    parts = [index.seqs, index.offsets]
    parts += [index.by_target[t] for t in targets] + [index.by_group[g] for g in groups]
    payload = b"".join(a.tobytes() for a in parts)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "byteorder": sys.byteorder,
        "size": size,
        "next_seq": next_seq,
        "count": len(index),
        "check": check,
        "targets": targets,
        "target_counts": [len(index.by_target[t]) for t in targets],
        "groups": groups,
        "group_counts": [len(index.by_group[g]) for g in groups],
        "crc": zlib.crc32(payload),
    }
    data = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
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
        data = path.read_bytes()
        end = data.index(b"\n")
        header = json.loads(data[:end])
        if header.get("format") != FORMAT or header.get("version") != VERSION:
            return None
        if header["byteorder"] != sys.byteorder:
            return None
        payload = memoryview(data)[end + 1 :]
        if zlib.crc32(payload) != header["crc"]:
            return None
        count = int(header["count"])
        index = Index(group)
        at = 0

        def take(n: int) -> array:
            nonlocal at
            numbers = array("q")
            numbers.frombytes(payload[at : at + 8 * n])
            at += 8 * n
            return numbers

        index.seqs, index.offsets = take(count), take(count)
        for name, n in zip(header["targets"], header["target_counts"], strict=True):
            index.by_target[name] = take(n)
        for name, n in zip(header["groups"], header["group_counts"], strict=True):
            index.by_group[name] = take(n)
        if at != len(payload) or len(index.offsets) != count:
            return None
        return index, header
    except (OSError, ValueError, KeyError, TypeError):
        return None
