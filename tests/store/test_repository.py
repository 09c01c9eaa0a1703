"""The TinyDB Store's own behaviour (write-ahead recovery, its files, threads); what both backends
share is in tests/store/backends/test_contract.py."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.repository import Store, StoreError
from store.storage import AtomicJSONStorage
from tests.store.factories import sample_report

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "data" / "brs.json"


@pytest.fixture
def store(path):
    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report())
        yield s


def reopen(path: Path, **kw) -> Store:
    return Store.open(path, clock=clock, **kw)


# --- import and reads ---------------------------------------------------------


def test_history_is_not_in_the_tinydb_file(store, path):
    store.set_setting("reminder_channel", "C1", "U1")
    tables = json.loads(path.read_text())
    assert set(tables) == {"meta", "report", "activities", "deadlines", "settings"}
    assert path.with_name("brs.history.jsonl").exists()
    assert tables["meta"]["1"] == {"schema_version": 2, "applied_seq": 9}


# --- re-import ----------------------------------------------------------------


def test_removed_deadline_ids_are_never_reused(store):
    store.import_report(replace(sample_report(), deadlines=()))
    assert store.deadline("S17-3") is None
    assert store.next_deadline_id("S17") == "S17-4"
    store.import_report(sample_report())
    assert [d.id for d in store.deadlines("S17")] == ["S17-4", "S17-5", "S17-6"]


# --- commit -------------------------------------------------------------------


# --- write-ahead recovery -----------------------------------------------------


def test_history_records_past_applied_seq_are_replayed_on_open(store, path):
    before = path.read_bytes()
    store.commit("U1", [("activity:S17", "title", "Activity S17", "Renamed")])
    store.close()
    path.write_bytes(before)  # the TinyDB file as it was: applied_seq rolled back
    assert json.loads(before)["meta"]["1"]["applied_seq"] == 8

    with reopen(path, readonly=True) as ro:  # sees it too, without writing
        assert ro.activity("S17").title == "Renamed"
    assert path.read_bytes() == before
    with reopen(path) as s:
        assert s.activity("S17").title == "Renamed"
        assert s.get_meta("applied_seq") == 9
    assert json.loads(path.read_text())["meta"]["1"]["applied_seq"] == 9


def test_a_failed_tinydb_write_is_recovered_from_the_history(store, path, monkeypatch):
    def disk_full(self, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(AtomicJSONStorage, "_write_disk", disk_full)
    done = store.commit("U1", [("activity:S17", "title", "Activity S17", "Renamed")])
    assert done and store.activity("S17").title == "Renamed"  # durable in the history
    store.close()
    monkeypatch.undo()
    with reopen(path) as s:
        assert s.activity("S17").title == "Renamed"


def test_a_crash_inside_the_tinydb_write_loses_nothing(store, path):
    store.close()
    script = textwrap.dedent(
        f"""
        import os
        from store.repository import Store
        store = Store.open({str(path)!r})
        os.replace = lambda src, dst: os._exit(9)
        store.commit("U1", [("activity:S17", "title", "Activity S17", "Renamed")])
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60)
    assert done.returncode == 9
    assert json.loads(path.read_text())["meta"]["1"]["applied_seq"] == 8
    with reopen(path) as s:
        assert s.activity("S17").title == "Renamed"
    assert not [p for p in path.parent.iterdir() if ".tmp-" in p.name]


# --- threads, read-only, schema -------------------------------------------------


def test_threads_lose_nothing(store, path):
    def work(t: int) -> None:
        for i in range(50):
            store.set_meta(f"m{t}-{i}", i)
            store.commit(f"U{t}", [(f"setting:s{t}-{i}", "", None, i)])

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()

    with reopen(path) as s:
        for t in range(8):
            for i in range(50):
                assert s.get_meta(f"m{t}-{i}") == i
                assert s.setting(f"s{t}-{i}") == i
        assert s.get_meta("applied_seq") == 8 + 400
    seqs = [json.loads(line)["seq"] for line in path.with_name("brs.history.jsonl").open()]
    assert seqs == list(range(1, 409))


def test_readonly_open_reads_one_version_of_the_file(store, path, monkeypatch):
    reads = []
    real = AtomicJSONStorage._read_disk
    monkeypatch.setattr(AtomicJSONStorage, "_read_disk", lambda self: reads.append(1) or real(self))
    with reopen(path, readonly=True) as ro:
        assert ro.codes() == ["S1", "S2", "S17"]
    assert reads == [1]  # all tables from one read, however often the writer replaces it


def test_readonly_open_of_a_missing_store_creates_nothing(tmp_path):
    path = tmp_path / "nowhere" / "brs.json"
    with reopen(path, readonly=True) as ro:
        assert ro.is_empty()
    assert not path.parent.exists()


def test_a_newer_schema_is_refused(store, path):
    store.close()
    tables = json.loads(path.read_text())
    tables["meta"]["1"]["schema_version"] = 3
    path.write_text(json.dumps(tables))
    with pytest.raises(StoreError) as err:
        reopen(path)
    assert "schema version 3" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(StoreError, match="schema version 3"):  # not StoreLocked: released
        reopen(path)
    with pytest.raises(StoreError, match="schema version 3"):
        reopen(path, readonly=True)
