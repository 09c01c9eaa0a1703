"""The history log: batches appended durably, torn tails dropped, an index for reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.history import Change, History, history_path
from store.storage import StoreError

AT = "2012-08-20T09:00:00Z"


def group(target: str) -> str | None:
    kind, _, name = target.partition(":")
    return name.rpartition("-")[0] or name if kind in ("activity", "deadline") else None


def open_log(tmp_path: Path, **kw) -> History:
    return History(tmp_path / "brs.history.jsonl", group=group, **kw)


def test_history_lives_beside_the_store():
    assert history_path(Path("data/brs.json")) == Path("data/brs.history.jsonl")


def test_append_numbers_records_and_indexes_them(tmp_path):
    log = open_log(tmp_path)
    first = log.append("U1", AT, [("activity:S17", "title", "a", "b")])
    batch = log.append(
        "U2",
        AT,
        [("deadline:S17-1", "done", False, True), ("event:COP-2013", "", None, "2013-04-28")],
    )
    assert first == [Change(1, "activity:S17", "title", "a", "b", "U1", AT)]
    assert [c.seq for c in batch] == [2, 3]
    assert log.last("deadline:S17-1") == batch[0]
    assert log.last("activity:S2") is None
    assert [c.seq for c in log.in_group("S17")] == [1, 2]
    assert log.last_in_group("S17") == batch[0]
    assert [c.seq for c in log.changes("event:COP-2013")] == [3]
    assert [c.seq for c in log.since(1)] == [2, 3]
    assert batch[1].kind == "event" and batch[1].name == "COP-2013"
    log.close()

    again = open_log(tmp_path)
    assert list(again.changes()) == first + batch
    assert again.append("U1", AT, [("setting:x", "", None, 1)])[0].seq == 4
    assert again.targets() == {"activity:S17", "deadline:S17-1", "event:COP-2013", "setting:x"}


def test_torn_last_line_is_truncated_on_open(tmp_path):
    log = open_log(tmp_path)
    log.append("U1", AT, [("activity:S17", "title", "a", "b")])
    log.close()
    path = tmp_path / "brs.history.jsonl"
    good = path.stat().st_size
    with path.open("ab") as f:
        f.write(b'{"seq":2,"target":"activity:S17","fi')  # crash mid-append

    log = open_log(tmp_path)
    assert path.stat().st_size == good
    assert len(log) == 1
    assert log.append("U1", AT, [("activity:S17", "title", "b", "c")])[0].seq == 2
    log.close()
    lines = path.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2]


def test_a_batch_cut_short_is_dropped_whole(tmp_path):
    log = open_log(tmp_path)
    log.append("U1", AT, [("activity:S1", "title", "a", "b")])
    log.close()
    path = tmp_path / "brs.history.jsonl"
    good = path.stat().st_size
    record = {"target": "activity:S2", "field": "title", "old": "x", "new": "y"}
    with path.open("a") as f:  # two of a batch of three reached the disk
        for seq in (2, 3):
            f.write(json.dumps({**record, "seq": seq, "user": "U1", "at": AT, "end": 4}) + "\n")

    log = open_log(tmp_path)
    assert [c.seq for c in log.changes()] == [1]
    assert log.last("activity:S2") is None
    assert path.stat().st_size == good


def test_readonly_ignores_but_keeps_an_unfinished_tail(tmp_path):
    log = open_log(tmp_path)
    log.append("U1", AT, [("activity:S1", "title", "a", "b")])
    path = tmp_path / "brs.history.jsonl"
    with path.open("ab") as f:
        f.write(b'{"seq":2,')  # the writer is mid-append
    size = path.stat().st_size

    reader = open_log(tmp_path, readonly=True)
    assert [c.seq for c in reader.changes()] == [1]
    assert path.stat().st_size == size
    with pytest.raises(StoreError, match="read-only"):
        reader.append("U1", AT, [("activity:S1", "title", "b", "c")])


def test_readonly_on_a_missing_file_is_empty_and_creates_nothing(tmp_path):
    reader = open_log(tmp_path, readonly=True)
    assert list(reader.changes()) == []
    assert not (tmp_path / "brs.history.jsonl").exists()


def test_damage_before_good_records_is_refused(tmp_path):
    path = tmp_path / "brs.history.jsonl"
    good = {"seq": 2, "target": "setting:x", "field": "", "old": None, "new": 1}
    path.write_text("garbage\n" + json.dumps({**good, "user": "U", "at": AT, "end": 2}) + "\n")
    with pytest.raises(StoreError, match="damaged at line 1"):
        open_log(tmp_path)


def test_advance_to_numbers_after_a_store_that_is_ahead(tmp_path):
    log = open_log(tmp_path)
    log.advance_to(41)
    assert log.append("U1", AT, [("setting:x", "", None, 1)])[0].seq == 42
    assert [c.seq for c in log.since(41)] == [42]
