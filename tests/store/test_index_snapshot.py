"""The history's index snapshot: an open from it equals a full scan; anything off falls back."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.history import History
from store.index import snapshot_path
from tests.store.test_history import AT, group


def fill(path: Path, batches: int) -> None:
    log = History(path, group=group)
    for i in range(batches):
        log.append(
            f"U{i % 3}",
            AT,
            [
                (f"activity:S{i % 7}", "title", str(i), str(i + 1)),
                (f"deadline:S{i % 7}-{i % 4}", "done", False, True),
                ("event:COP-2013", "", None, f"2013-04-{1 + i % 28:02}"),
            ],
        )
    log.save_snapshot()
    log.close()


def everything(log: History) -> dict:
    targets = sorted(log.targets())
    groups = [f"S{i}" for i in range(8)]
    return {
        "all": list(log.changes()),
        "targets": targets,
        "by_target": {t: list(log.changes(t)) for t in targets},
        "last": {t: log.last(t) for t in targets},
        "groups": {
            g: (log.in_group(g), log.count_in_group(g), log.last_in_group(g)) for g in groups
        },
        "newest": {g: log.in_group(g, newest=3) for g in groups},
        "since": log.since(40),
        "last_seq": log.last_seq,
    }


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "brs.history.jsonl"


def scanned(path: Path) -> dict:
    snapshot = snapshot_path(path)
    kept = snapshot.read_bytes() if snapshot.exists() else None
    snapshot.unlink(missing_ok=True)
    log = History(path, group=group, readonly=True)
    try:
        return everything(log)
    finally:
        log.close()
        if kept is not None:
            snapshot.write_bytes(kept)


def test_an_open_from_the_snapshot_equals_a_full_scan(path, monkeypatch):
    fill(path, 40)
    log = History(path, group=group)  # the snapshot covers everything: nothing to parse
    log.append("U9", AT, [("activity:S1", "title", "x", "y")])  # a tail after the snapshot
    log.close()
    scans = []
    real = History._scan
    monkeypatch.setattr(
        History, "_scan", lambda self, start: scans.append(start) or real(self, start)
    )
    log = History(path, group=group)
    assert scans == [snapshot_size(path)]  # only the tail was read
    assert everything(log) == scanned(path)
    assert log.append("U1", AT, [("setting:x", "", None, 1)])[0].seq == 122
    log.close()


def snapshot_size(path: Path) -> int:
    import json

    return json.loads(snapshot_path(path).read_bytes().split(b"\n", 1)[0])["size"]


@pytest.mark.parametrize(
    "damage",
    ["flip a byte", "cut short", "empty", "not json", "history rewritten", "history cut"],
)
def test_a_damaged_or_stale_snapshot_falls_back_to_the_full_scan(path, damage, monkeypatch):
    fill(path, 30)
    snapshot = snapshot_path(path)
    data = snapshot.read_bytes()
    if damage == "flip a byte":
        snapshot.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "cut short":
        snapshot.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        snapshot.write_bytes(b"")
    elif damage == "not json":
        snapshot.write_bytes(b"{" + data)
    elif damage == "history rewritten":  # same length, other records: the checks differ
        text = path.read_bytes().replace(b'"U0"', b'"U7"')
        path.write_bytes(text)
    else:  # the history restored from an older backup
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:30]))
    scans = []
    real = History._scan
    monkeypatch.setattr(
        History, "_scan", lambda self, start: scans.append(start) or real(self, start)
    )
    log = History(path, group=group)
    assert scans[-1] == 0  # a full scan
    got = everything(log)
    log.close()
    assert got == scanned(path)
    if damage == "history rewritten":  # what the file says now, not what the snapshot knew
        assert {c.user for c in got["all"]} == {"U1", "U2", "U7"}
    if damage == "history cut":
        assert len(got["all"]) == 30


def test_a_missing_snapshot_is_a_full_scan_and_a_writer_writes_one_on_close(path):
    fill(path, 5)
    snapshot_path(path).unlink()
    log = History(path, group=group)
    assert len(log) == 15
    log.save_snapshot()
    log.close()
    assert snapshot_path(path).exists()


def test_a_store_opened_from_the_snapshot_reads_as_one_opened_by_a_scan(tmp_path):
    from datetime import UTC, datetime

    from store.history import history_path
    from store.repository import Store
    from tests.store.factories import sample_report

    db = tmp_path / "brs.json"

    def clock() -> datetime:
        return datetime(2012, 8, 20, 7, 0, tzinfo=UTC)

    with Store.open(db, clock=clock, checkpoint_every=100) as s:
        s.import_report(sample_report())
        for i in range(250):
            old = list(s.activity("S17").rows[0].status)
            s.commit("U1", [("activity:S17", "rows.0.status", old, [*old, f"line {i}"])])

    def reads() -> tuple:
        with Store.open(db, readonly=True, clock=clock) as s:
            return (
                s.history("S17"),
                s.history("S17", newest=5),
                s.last_change("S17"),
                s.history_count("S17"),
                s.activity("S17"),
                s.next_deadline_id("S17"),
            )

    assert snapshot_path(history_path(db)).exists()
    from_snapshot = reads()
    snapshot_path(history_path(db)).unlink()
    assert reads() == from_snapshot
    assert from_snapshot[2].new[-1] == "line 249"


def test_numbers_with_a_gap_read_the_same_from_the_snapshot(path):
    log = History(path, group=group)
    log.append("U1", AT, [("activity:S1", "title", "a", "b")])
    log.advance_to(40)  # the store was ahead of its history (the history was lost)
    log.append("U1", AT, [("activity:S1", "title", "b", "c"), ("setting:x", "", None, 1)])
    assert [c.seq for c in log.since(1)] == [41, 42]
    log.save_snapshot()
    log.close()
    again = History(path, group=group)
    assert [c.seq for c in again.since(0)] == [1, 41, 42]
    assert [c.seq for c in again.since(1)] == [41, 42] and again.since(42) == []
    assert [c.seq for c in again.newest_first("activity:S1", 2)] == [41]
    assert everything(again) == scanned(path)
    again.close()
