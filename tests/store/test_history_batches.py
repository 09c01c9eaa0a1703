"""What editing needs from the history: batch identity, newest-only reads, typed conflicts."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest

from store.repository import ChangedMeanwhile, Store, StoreError
from tests.store.factories import sample_report

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "brs.json", clock=lambda: NOW) as s:
        s.import_report(sample_report())
        yield s


def test_every_record_names_the_last_record_of_its_commit(store, tmp_path):
    one = store.commit("U1", [("activity:S17", "title", "Activity S17", "A")])
    two = store.commit(
        "U1",
        [("activity:S17", "title", "A", "B"), ("deadline:S17-1", "done", False, True)],
    )
    assert [c.batch for c in one] == [one[0].seq]
    assert {c.batch for c in two} == {two[-1].seq}
    store.close()

    with Store.open(tmp_path / "brs.json", clock=lambda: NOW) as again:
        read = again.history("S17")[-3:]
        assert [c.batch for c in read] == [one[0].seq, two[-1].seq, two[-1].seq]
        assert read == one + two  # batch does not take part in equality


def test_newest_reads_only_the_latest_records(store):
    for n in range(5):
        store.commit("U1", [("activity:S17", "title", store.activity("S17").title, f"T{n}")])
    every = store.history("S17")
    assert store.history("S17", newest=2) == every[-2:]
    assert store.history("S17", newest=0) == []
    assert store.history_count("s17") == len(every)
    assert store.history_count("S99") == 0


def test_a_stale_old_value_raises_changed_meanwhile_a_store_error(store):
    with pytest.raises(ChangedMeanwhile, match="changed meanwhile"):
        store.commit("U1", [("activity:S17", "title", "not the title", "X")])
    assert issubclass(ChangedMeanwhile, StoreError)
    assert store.activity("S17").title == "Activity S17"


def _applied_in_file(path) -> int:
    return json.loads(path.read_text())["meta"]["1"]["applied_seq"]


def test_a_checkpointed_store_commits_with_one_fsync_and_loses_nothing(tmp_path):
    path = tmp_path / "brs.json"
    with Store.open(path, clock=lambda: NOW) as s:
        s.import_report(sample_report())
    start = _applied_in_file(path)
    fsyncs = []
    real = os.fsync

    s = Store.open(path, clock=lambda: NOW, checkpoint_every=3)
    try:
        os.fsync = lambda fd: (fsyncs.append(fd), real(fd))[1]
        s.commit("U1", [("activity:S17", "title", "Activity S17", "A")])
        s.commit("U1", [("activity:S17", "title", "A", "B")])
        assert len(fsyncs) == 2  # the history's, nothing else
        assert _applied_in_file(path) == start  # the file waits for the checkpoint
        with Store.open(path, readonly=True) as reader:  # `brs export` meanwhile sees it all
            assert reader.activity("S17").title == "B"
        s.commit("U1", [("activity:S17", "title", "B", "C")])
        assert _applied_in_file(path) == start + 3  # checkpoint: the file caught up
        s.commit("U1", [("activity:S17", "title", "C", "D")])
    finally:
        os.fsync = real
        s.close()
    assert _applied_in_file(path) == start + 4  # close writes the rest
    with Store.open(path) as again:
        assert again.activity("S17").title == "D"
