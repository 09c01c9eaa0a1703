"""The TinyDB Store's own behaviour (write-ahead recovery, its files, threads); what both backends
share is in tests/store/backends/test_contract.py."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from store.model import deadline_to_dict
from store.repository import ImportResult, Store, StoreError
from store.storage import AtomicJSONStorage
from tests.store.factories import activity, deadline, report, row, sample_report

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


def test_reimport_keeps_done_state_and_ids_and_records_changed_fields(store):
    store.commit(
        "U1",
        [
            ("deadline:S17-1", "done", False, True),
            ("deadline:S17-1", "done_by", None, "U1"),
            ("deadline:S17-1", "done_at", None, "2012-08-20T07:00:00Z"),
        ],
    )
    slack_added = deadline("S2-5", date(2012, 11, 1), "a workshop", source="slack")
    store.commit("U1", [("deadline:S2-5", "", None, deadline_to_dict(slack_added))])

    s17 = activity("S17", 17, rows=[row(status="Ongoing; draft sent."), row()])
    new = report(
        [activity("S2", 2, title="Joint services"), activity("S3", 3), s17],
        [
            # the same commitments, numbered differently by a fresh import
            deadline("S17-1", None, "publication", event="COP-2013", offset_days=-90),
            deadline("S17-2", date(2012, 8, 31), "responses from all parties"),
            deadline("S17-3", date(2013, 2, 1), "a new deadline"),
            deadline("S3-1", date(2013, 1, 15), "the study"),
        ],
    )
    result = store.import_report(new, user="U9")

    assert result == ImportResult(
        added=1, changed=2, removed=1, deadlines_added=2, deadlines_removed=2
    )
    assert store.codes() == ["S2", "S3", "S17"]
    kept = store.deadline("S17-1")
    assert kept.on == date(2012, 8, 31) and kept.due == "responses from all parties"
    assert (kept.done, kept.done_by) == (True, "U1")
    assert store.deadline("S17-3").event == "COP-2013"  # matched by key, kept its id
    assert store.deadline("S17-2") is None  # its commitment left the report
    assert store.deadline("S17-4").due == "a new deadline"  # S17-3 was taken
    assert store.deadline("S2-5").source == "slack"  # added from Slack: kept
    assert store.deadline("S1-1") is None  # its activity left the report

    fields = {(c.target, c.field) for c in store.history("S17") if c.user == "U9"}
    assert fields == {
        ("activity:S17", "rows.0.status"),
        ("deadline:S17-1", "due"),
        ("deadline:S17-1", "sentence"),
        ("deadline:S17-2", ""),
        ("deadline:S17-4", ""),
    }
    title = store.history("activity:S2")[-1]
    assert (title.field, title.old, title.new) == ("title", "Activity S2", "Joint services")
    status = store.last_change("S17")
    assert status.user == "U9"
    removed = store.history("activity:S1")[-1]
    assert removed.new is None and removed.old["code"] == "S1"


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
