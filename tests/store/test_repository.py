"""The Store: imports, commits with history, write-ahead recovery, threads, read-only use."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from store.model import Activity, Deadline, deadline_to_dict
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


def test_first_import_creates_one_record_per_document(path):
    with reopen(path) as s:
        assert s.is_empty()
        result = s.import_report(sample_report(), source="report.md")
        assert result == ImportResult(added=3, changed=0, removed=0, deadlines_added=4)
        assert not s.is_empty()
        records = s.history("S17")
        assert [(c.target, c.field, c.old) for c in records] == [
            ("activity:S17", "", None),
            ("deadline:S17-1", "", None),
            ("deadline:S17-2", "", None),
            ("deadline:S17-3", "", None),
        ]
        assert {c.user for c in records} == {"import"}
        assert records[0].at == "2012-08-20T07:00:00Z"
        assert s.history("report")[0].new["source"] == "report.md"
    assert path.parent.is_dir()


def test_reads_return_dataclasses_in_report_order(store):
    assert store.codes() == ["S1", "S2", "S17"]
    assert all(isinstance(a, Activity) for a in store.activities())
    assert store.activity("s17") is store.activity("S17")
    assert len(store.activity(" s17 ").rows) == 2
    assert store.activity("S99") is None
    assert [d.id for d in store.deadlines()] == ["S1-1", "S17-1", "S17-2", "S17-3"]
    assert [d.id for d in store.deadlines("s17")] == ["S17-1", "S17-2", "S17-3"]
    assert isinstance(store.deadline("s17-2"), Deadline)
    assert store.deadline("S17-2").on == date(2012, 12, 31)
    info = store.report_info()
    assert info.title == "Status of synergies activities"
    assert [s.number for s in info.sections] == ["I", "VII"]
    assert info.toc == (("I", "Organizational issues", "S1"),)
    assert info.footnotes == ("1 A footnote.",)


def test_reads_are_fast(store):
    start = time.perf_counter()
    for _ in range(1000):
        store.activity("S17")
        store.deadlines()
        store.events()
        store.last_change("S17")
    assert time.perf_counter() - start < 0.5  # well under 1 ms a query


def test_history_is_not_in_the_tinydb_file(store, path):
    store.set_setting("reminder_channel", "C1", "U1")
    tables = json.loads(path.read_text())
    assert set(tables) == {"meta", "report", "activities", "deadlines", "settings"}
    assert path.with_name("brs.history.jsonl").exists()
    assert tables["meta"]["1"] == {"schema_version": 2, "applied_seq": 9}


def test_data_survives_reopening(store, path):
    store.set_event("COP-2013", date(2013, 5, 1), "U1")
    store.close()
    with reopen(path) as s:
        assert s.codes() == ["S1", "S2", "S17"]
        assert s.events() == {"COP-2013": date(2013, 5, 1)}
        assert s.deadline("S1-1").done


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


def test_reimport_of_the_same_report_changes_nothing(store):
    before = len(store.history("S17"))
    assert store.import_report(sample_report()) == ImportResult(0, 0, 0, 0, 0)
    assert len(store.history("S17")) == before


def test_removed_deadline_ids_are_never_reused(store):
    store.import_report(replace(sample_report(), deadlines=()))
    assert store.deadline("S17-3") is None
    assert store.next_deadline_id("S17") == "S17-4"
    store.import_report(sample_report())
    assert [d.id for d in store.deadlines("S17")] == ["S17-4", "S17-5", "S17-6"]


def test_a_report_with_a_duplicate_code_changes_nothing(store):
    with pytest.raises(StoreError, match="S2 twice"):
        store.import_report(report([activity("S2", 2), activity("S2", 3)], []))
    assert store.codes() == ["S1", "S2", "S17"]


# --- commit -------------------------------------------------------------------


def test_commit_sets_a_dotted_path_and_returns_its_records(store):
    old = list(store.activity("S17").rows[1].status)
    done = store.commit("U1", [("activity:s17", "rows.1.status", old, [*old, "New line."])])
    assert [(c.target, c.field, c.user) for c in done] == [("activity:S17", "rows.1.status", "U1")]
    assert store.activity("S17").rows[1].status == ("Ongoing.", "New line.")
    assert store.last_change("s17") == done[0]


def test_stale_old_value_is_refused_and_nothing_recorded(store):
    before = len(store.history("S17"))
    with pytest.raises(StoreError, match="changed meanwhile"):
        store.commit("U1", [("activity:S17", "title", "Not the title", "X")])
    assert store.activity("S17").title == "Activity S17"
    assert len(store.history("S17")) == before


@pytest.mark.parametrize(
    "change",
    [
        ("activity:S17", "rows.7.status", None, ["x"]),
        ("activity:S17", "rows.0.nothing.here", None, 5),
        ("activity:S17", "code", "S17", "S18"),
        ("activity:S99", "title", None, "x"),
        ("planet:Mars", "", None, 1),
        ("event:COP-2014", "", None, "not a date"),
        ("deadline:S17-9", "", None, {"id": "S17-9"}),
    ],
)
def test_invalid_changes_are_refused_and_nothing_recorded(store, path, change):
    log = path.with_name("brs.history.jsonl")
    size = log.stat().st_size
    with pytest.raises(StoreError) as err:
        store.commit("U1", [("activity:S1", "title", "Activity S1", "Renamed"), change])
    assert "\n" not in str(err.value)
    assert log.stat().st_size == size
    assert store.activity("S1").title == "Activity S1"


def test_no_op_changes_are_not_recorded(store):
    assert store.commit("U1", [("activity:S1", "title", "Activity S1", "Activity S1")]) == []
    assert store.set_event("COP-2013", date(2013, 4, 28), "U1") is not None
    assert store.set_event("cop-2013", date(2013, 4, 28), "U1") is None


def test_events_defaults_fill_only_what_is_missing(store):
    store.set_event("COP-2013", date(2013, 5, 6), "U1")
    made = store.set_default_events({"COP-2013": date(2013, 4, 28), "OEWG-9": date(2014, 6, 1)})
    assert [c.target for c in made] == ["event:OEWG-9"]
    assert store.events() == {"COP-2013": date(2013, 5, 6), "OEWG-9": date(2014, 6, 1)}
    assert store.set_default_events({"COP-2013": date(2000, 1, 1)}) == []
    moved = store.history("event:cop-2013")
    assert [(c.old, c.new) for c in moved] == [(None, "2013-05-06")]


def test_settings_and_meta(store, path):
    store.set_setting("reminder_channel", "C123", "U1")
    store.set_meta("last_run", "2012-08-20T07:00:00Z")
    assert store.get_meta("missing", 7) == 7
    with pytest.raises(StoreError, match="managed by the store"):
        store.set_meta("applied_seq", 0)
    store.close()
    with reopen(path) as s:
        assert s.setting("reminder_channel") == "C123"
        assert s.get_meta("last_run") == "2012-08-20T07:00:00Z"
        assert s.history("setting:reminder_channel")[0].new == "C123"


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


def test_readonly_store_reads_but_refuses_writes(store, path):
    store.set_event("COP-2013", date(2013, 4, 28), "U1")
    with reopen(path, readonly=True) as ro:
        assert ro.codes() == ["S1", "S2", "S17"]
        assert ro.events() == {"COP-2013": date(2013, 4, 28)}
        attempts = [
            lambda: ro.commit("U1", [("activity:S1", "title", "Activity S1", "X")]),
            lambda: ro.set_meta("k", 1),
            lambda: ro.set_event("COP-2013", date(2013, 5, 1), "U1"),
            lambda: ro.set_setting("reminder_channel", "C1", "U1"),
            lambda: ro.import_report(sample_report()),
        ]
        for attempt in attempts:
            with pytest.raises(StoreError, match="read-only"):
                attempt()
    assert store.activity("S1").title == "Activity S1"


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
