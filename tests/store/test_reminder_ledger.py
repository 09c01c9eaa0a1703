"""The store's reminder table and commit hook: bookkeeping outside the history."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from store.repository import Store, StoreError
from tests.store.factories import sample_report

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@pytest.fixture
def path(tmp_path):
    return tmp_path / "brs.json"


def test_entries_persist_replace_and_remove_without_touching_the_history(path):
    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report())
        records = len(s.history("report")) + len(s.history("S17"))
        s.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sending"}})
        s.put_reminder_entries(
            {
                "S17-2|7": {"on": "2012-12-31", "state": "sent", "ts": "1.2"},
                "S1-1|0": {"on": "2013-06-30", "state": "skipped"},
            }
        )
        s.put_reminder_entries({"S1-1|0": None, "absent|1": None})
        assert len(s.history("report")) + len(s.history("S17")) == records
    with Store.open(path, clock=clock) as s:
        assert dict(s.reminder_entries()) == {
            "S17-2|7": {"on": "2012-12-31", "state": "sent", "ts": "1.2", "key": "S17-2|7"}
        }


def test_entries_are_read_only_snapshots(path):
    with Store.open(path, clock=clock) as s:
        s.put_reminder_entries({"k": {"on": "2012-12-31", "state": "sent"}})
        snapshot = s.reminder_entries()
        s.put_reminder_entries({"k": {"on": "2012-12-31", "state": "skipped"}})
        assert snapshot["k"]["state"] == "sent"
        with pytest.raises(TypeError):
            snapshot["k"] = {}  # type: ignore[index]


def test_a_read_only_store_reads_entries_and_refuses_writes(path):
    with Store.open(path, clock=clock) as s:
        s.put_reminder_entries({"k": {"on": "2012-12-31", "state": "sent"}})
        with Store.open(path, readonly=True, clock=clock) as r:
            assert r.reminder_entries()["k"]["state"] == "sent"
            with pytest.raises(StoreError):
                r.put_reminder_entries({"k": None})


def test_commit_listeners_see_every_commit_and_cannot_break_one(path):
    seen = []

    def broken(changes):
        raise RuntimeError("listener bug")

    with Store.open(path, clock=clock) as s:
        s.on_commit(broken)
        s.on_commit(lambda changes: seen.append([c.target for c in changes]))
        s.set_event("COP-2013", date(2013, 4, 28), "U1")
        s.set_setting("reminder_channel", "C1", "U1")
        s.set_setting("reminder_channel", "C1", "U1")  # no change: no commit
        assert seen == [["event:COP-2013"], ["setting:reminder_channel"]]
        assert s.events() == {"COP-2013": date(2013, 4, 28)}


def test_a_snooze_is_a_history_record_so_a_rebuild_from_the_history_keeps_it(path):
    from jobs.ledger import Ledger

    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report())
        Ledger(s).snooze("s17-2", date(2012, 9, 3), "U1", NOW)  # any case: the deadline's id
        (record,) = s.history("snooze:S17-2")
        assert (record.user, record.old, record.new) == ("U1", None, "2012-09-03")
        assert Ledger(s).snapshot().snoozes() == {"S17-2": date(2012, 9, 3)}
        s.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "skipped"}})
    path.unlink()  # the database file lost: everything comes back from the history
    with Store.open(path, clock=clock) as s:
        assert s.snoozes() == {"S17-2": date(2012, 9, 3)}
        assert s.history("S17")[-1].target != "snooze:S17-2"  # bookkeeping, not S17's story
