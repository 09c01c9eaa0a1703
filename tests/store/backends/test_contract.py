"""The store contract on both backends: imports, reads, re-imports, commits, events, settings,
meta, threads and read-only use (ported from tests/store/test_repository.py)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date

import pytest

from store.model import Activity, Deadline, deadline_to_dict
from store.repository import ImportResult, StoreError
from tests.store.factories import activity, deadline, report, row, sample_report

# --- import and reads ---------------------------------------------------------


def test_first_import_creates_one_record_per_document(open_store):
    with open_store() as s:
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
        assert s.version == 8


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


def test_data_survives_reopening(store, open_store):
    store.set_event("COP-2013", date(2013, 5, 1), "U1")
    store.close()
    with open_store() as s:
        assert s.codes() == ["S1", "S2", "S17"]
        assert s.events() == {"COP-2013": date(2013, 5, 1)}
        assert s.deadline("S1-1").done
        assert s.last_change("S17").target == "deadline:S17-3"
        assert s.version == 9


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
    assert store.last_change("S17").user == "U9"
    removed = store.history("activity:S1")[-1]
    assert removed.new is None and removed.old["code"] == "S1"


def test_reimport_of_the_same_report_changes_nothing(store):
    before = len(store.history("S17"))
    assert store.import_report(sample_report()) == ImportResult(0, 0, 0, 0, 0)
    assert len(store.history("S17")) == before


def test_removed_deadline_ids_are_never_reused(store, open_store):
    store.import_report(replace(sample_report(), deadlines=()))
    assert store.deadline("S17-3") is None
    assert store.next_deadline_id("S17") == "S17-4"
    store.close()
    with open_store() as again:  # known from the history, not from memory
        assert again.next_deadline_id("S17") == "S17-4"
        again.import_report(sample_report())
        assert [d.id for d in again.deadlines("S17")] == ["S17-4", "S17-5", "S17-6"]


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
    version = store.version
    with pytest.raises(StoreError, match="changed meanwhile"):
        store.commit("U1", [("activity:S17", "title", "Not the title", "X")])
    assert store.activity("S17").title == "Activity S17"
    assert len(store.history("S17")) == before
    assert store.version == version


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
def test_invalid_changes_are_refused_and_nothing_recorded(store, change):
    version = store.version
    with pytest.raises(StoreError) as err:
        store.commit("U1", [("activity:S1", "title", "Activity S1", "Renamed"), change])
    assert "\n" not in str(err.value)
    assert store.version == version
    assert store.history("activity:S1")[-1].field == ""
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


def test_settings_and_meta(store, open_store):
    store.set_setting("reminder_channel", "C123", "U1")
    store.set_meta("last_run", "2012-08-20T07:00:00Z")
    assert store.get_meta("missing", 7) == 7
    with pytest.raises(StoreError, match="managed by the store"):
        store.set_meta("applied_seq", 0)
    store.close()
    with open_store() as s:
        assert s.setting("reminder_channel") == "C123"
        assert s.get_meta("last_run") == "2012-08-20T07:00:00Z"
        assert s.history("setting:reminder_channel")[0].new == "C123"
        assert s.get_meta("applied_seq") == s.version == 9


# --- threads, read-only ---------------------------------------------------------


def test_threads_lose_nothing(store, open_store):
    def work(t: int) -> None:
        for i in range(25):
            store.set_meta(f"m{t}-{i}", i)
            store.commit(f"U{t}", [(f"setting:s{t}-{i}", "", None, i)])

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()

    with open_store() as s:
        for t in range(8):
            for i in range(25):
                assert s.get_meta(f"m{t}-{i}") == i
                assert s.setting(f"s{t}-{i}") == i
        assert s.version == 8 + 200
        records = [s.history(f"setting:s{t}-{i}")[0] for t in range(8) for i in range(25)]
        assert sorted(c.seq for c in records) == list(range(9, 209))


def test_readonly_store_reads_but_refuses_writes(store, open_store):
    store.set_event("COP-2013", date(2013, 4, 28), "U1")
    with open_store(readonly=True) as ro:
        assert ro.codes() == ["S1", "S2", "S17"]
        assert ro.events() == {"COP-2013": date(2013, 4, 28)}
        attempts = [
            lambda: ro.commit("U1", [("activity:S1", "title", "Activity S1", "X")]),
            lambda: ro.set_meta("k", 1),
            lambda: ro.set_event("COP-2013", date(2013, 5, 1), "U1"),
            lambda: ro.set_setting("reminder_channel", "C1", "U1"),
            lambda: ro.import_report(sample_report()),
            lambda: ro.put_reminder_entries({"k": None}),
        ]
        for attempt in attempts:
            with pytest.raises(StoreError, match="read-only"):
                attempt()
    assert store.activity("S1").title == "Activity S1"


def test_a_closed_store_refuses_writes(store):
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.set_setting("reminder_channel", "C1", "U1")
