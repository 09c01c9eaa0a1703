"""Commit batches on the TinyDB store's history; what both backends share is in
tests/store/backends/test_batches.py."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest

from store.repository import Store
from tests.store.factories import sample_report

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "brs.json", clock=lambda: NOW) as s:
        s.import_report(sample_report())
        yield s


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
