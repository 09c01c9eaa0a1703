"""Main's store behaviour on both backends: deltas, snoozes, request keys, the date window,
three-way re-imports, health()."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from store.repository import StoreError
from store.requests import Replayed
from tests.store.factories import sample_report


def _append(s, line):
    old = s.activity("S17").rows[0].status
    return s.commit("U1", [("activity:S17", "rows.0.status", old, [*old, line])])


def test_appended_and_trimmed_lines_read_back_as_whole_values(store, open_store):
    before = list(store.activity("S17").rows[0].status)
    _append(store, "First.")
    _append(store, "Second.")
    now = list(store.activity("S17").rows[0].status)
    store.commit("U1", [("activity:S17", "rows.0.status", now, before)])  # an undo of both
    last = store.history("S17")[-3:]
    assert [(c.old, c.new) for c in last] == [
        (before, [*before, "First."]),
        ([*before, "First."], [*before, "First.", "Second."]),
        ([*before, "First.", "Second."], before),
    ]
    assert {c.op for c in last} == {"set"}
    assert store.last_change("S17") == last[-1]
    store.close()
    with open_store() as again:
        assert again.history("S17")[-3:] == last
        assert list(again.activity("S17").rows[0].status) == before


def test_another_process_reads_the_deltas_whole(store, open_store, backend):
    if backend != "postgres":
        pytest.skip("one TinyDB store has one writer process")
    other = open_store()
    before = list(store.activity("S17").rows[0].status)
    (done,) = _append(store, "From the first process.")
    assert other.version == done.seq  # caught up: its copy holds the record as stored
    assert other.last_change("S17") == done
    assert other.history("S17")[-1] == done and done.old == before


def test_snoozes_are_history_records_and_not_ledger_entries(store):
    done = store.set_snooze("s17-2", date(2012, 9, 3), "U1")
    assert done is not None and done.target == "snooze:S17-2"
    assert store.snoozes() == {"S17-2": date(2012, 9, 3)}
    assert dict(store.reminder_entries()) == {}
    assert store.set_snooze("S17-2", date(2012, 9, 3), "U1") is None  # unchanged
    assert store.history("snooze:S17-2")[-1].new == "2012-09-03"


def test_a_request_key_rides_in_the_commit_and_a_replay_changes_nothing(store, open_store):
    with store.requests.answering("cmd:1345446000:v0=abc"):
        done = store.set_setting("reminder_channel", "C1", "U1")
    assert done is not None
    batch = [c for c in store.history("request:cmd:1345446000:v0=abc")]
    assert len(batch) == 1 and batch[0].batch == done.batch
    store.close()
    with open_store() as again:
        with pytest.raises(Replayed), again.requests.answering("cmd:1345446000:v0=abc"):
            again.set_setting("reminder_channel", "C2", "U1")
        assert again.setting("reminder_channel") == "C1"


def test_dates_outside_the_window_are_refused_and_nothing_is_saved(store):
    version = store.version
    with pytest.raises(StoreError, match="not saved: event:Far .*outside the years"):
        store.set_event("Far", date(2300, 1, 1), "U1")
    with pytest.raises(StoreError, match="not saved"):
        store.set_snooze("S17-2", date(1800, 1, 1), "U1")
    assert store.version == version and "Far" not in store.events()


def test_a_reimport_is_three_way_and_may_refuse_removals(store):
    _append(store, "Kept across the re-import.")
    again = store.import_report(sample_report())
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    assert "Kept across the re-import." in store.activity("S17").rows[0].status
    fewer = replace(sample_report(), activities=sample_report().activities[:2])
    with pytest.raises(StoreError):
        store.import_report(fewer, allow_removals=False)
    assert len(store.codes()) == 3
    result = store.import_report(fewer)
    assert result.removed == 1 and result.report is not None


def test_health_is_none_while_writable_and_one_line_otherwise(store, open_store):
    assert store.health() is None
    reader = open_store(readonly=True)
    assert "read-only" in reader.health()
    store.close()
    line = store.health()
    assert line is not None and "closed" in line and "\n" not in line
    assert "brs-test-secret" not in line


def test_healthz_on_either_store_says_ok_or_the_store_s_reason(store, backend, tmp_path):
    from bot.slack.health import Health
    from tests.store.backends.conftest import clock

    path = getattr(store, "path", None) if backend == "tiny" else None
    health = Health(store, path, clock=clock)
    report = health()
    assert report.ok, report.line
    assert ("(PostgreSQL)" in report.line) == (backend == "postgres")
    store.close()
    report = health()
    assert not report.ok and "closed" in report.line and "brs-test-secret" not in report.line
