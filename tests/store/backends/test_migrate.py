"""`brs migrate --to URL`: a TinyDB store, history and ledger included, copied and checked."""

from __future__ import annotations

from datetime import date

import pytest

from bot.cli import main
from store.postgres.migrate import migrate
from store.postgres.repository import PgStore
from store.repository import Store, StoreError
from store.requests import Replayed
from tests.store.backends.conftest import clock
from tests.store.factories import sample_report


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "brs.json"
    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report(), source="report.md")
        s.set_event("COP-2013", date(2013, 5, 1), "U1")
        s.commit("U1", [("activity:S17", "title", "Activity S17", "Renamed")])
        s.commit("U2", [("activity:S17", "title", "Renamed", "Activity S17")])  # an undo
        s.set_setting("reminder_channel", "C1", "U1")
        s.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sent", "ts": "1.2"}})
        s.set_meta("scheduler_last_run", "2012-08-20T07:00:00+00:00")
    return path


@pytest.fixture
def schema2(tiny):
    """Schema 2's records: an append and a trim (an update and its undo), a snooze, a request."""
    with Store.open(tiny, clock=clock) as s:
        old = s.activity("S17").rows[0].status
        s.commit("U1", [("activity:S17", "rows.0.status", old, [*old, "A new line."])])
        s.commit("U1", [("activity:S17", "rows.0.status", [*old, "A new line."], old)])
        s.set_snooze("S17-2", date(2012, 9, 3), "U1")
        with s.requests.answering("cmd:1345446000:v0=abc"):
            s.set_setting("reminder_channel", "C2", "U1")
    return tiny


def test_a_schema_2_store_is_copied_with_its_deltas_snoozes_and_requests(schema2, pg_url):
    with Store.open(schema2, readonly=True, clock=clock) as old:
        ops = [c.op for c in old._history.changes()]
    assert "append" in ops and "trim" in ops
    done = migrate(schema2, pg_url, clock=clock)
    assert (done.records, done.reminders, done.meta) == (17, 1, 1)
    with Store.open(schema2, readonly=True, clock=clock) as old, PgStore.open(pg_url) as new:
        assert new.version == old.version == 17
        assert new.history("S17") == old.history("S17")  # deltas resolved alike
        assert new.activities() == old.activities()
        assert new.snoozes() == old.snoozes() == {"S17-2": date(2012, 9, 3)}
        assert new.setting("reminder_channel") == "C2"
        with pytest.raises(Replayed), new.requests.answering("cmd:1345446000:v0=abc"):
            new.set_setting("reminder_channel", "C3", "U1")
        assert new.setting("reminder_channel") == "C2"


def test_a_tinydb_store_is_copied_whole(tiny, pg_url):
    done = migrate(tiny, pg_url, clock=clock)
    assert (done.records, done.reminders, done.meta) == (12, 1, 1)
    with Store.open(tiny, readonly=True, clock=clock) as old, PgStore.open(pg_url) as new:
        assert new.version == old.version == 12
        assert new.activities() == old.activities() and new.deadlines() == old.deadlines()
        assert new.events() == {"COP-2013": date(2013, 5, 1)}
        assert new.setting("reminder_channel") == "C1"
        assert new.history("S17") == old.history("S17")
        assert [c.batch for c in new.history("S17")] == [c.batch for c in old.history("S17")]
        assert new.history("report") == old.history("report")
        assert dict(new.reminder_entries()) == dict(old.reminder_entries())
        assert new.get_meta("scheduler_last_run") == "2012-08-20T07:00:00+00:00"
        assert new.next_deadline_id("S17") == "S17-4"
        more = new.commit("U3", [("activity:S1", "title", "Activity S1", "Next")])
        assert more[0].seq == 13  # the history goes on where TinyDB's ended


def test_a_database_that_holds_a_store_is_refused(tiny, pg_url):
    with PgStore.open(pg_url, clock=clock) as s:
        s.set_setting("x", 1, "U1")
    with pytest.raises(StoreError, match="already holds a brs store"):
        migrate(tiny, pg_url, clock=clock)
    with PgStore.open(pg_url) as s:
        assert s.version == 1


def test_brs_migrate_says_what_it_copied_and_never_the_password(tiny, pg_url, monkeypatch, capsys):
    monkeypatch.setenv("BRS_DB", str(tiny))
    assert main(["migrate", "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "12 history records" in out and "1 reminder entries" in out
    assert "brs-test-secret" not in out and "match" in out
    assert main(["migrate", "--to", pg_url]) == 2  # not into a store twice
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already holds" in err


def test_a_missing_store_is_said_in_one_line(tmp_path, pg_url):
    with pytest.raises(StoreError, match="no store at"):
        migrate(tmp_path / "nothing.json", pg_url, clock=clock)


def test_a_schema_1_store_is_converted_then_copied(tmp_path, pg_url):
    import shutil

    from tests.store.test_upgrade import FIXTURE

    for name in ("brs.json", "brs.history.jsonl"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    path = tmp_path / "brs.json"
    done = migrate(path, pg_url, clock=clock)
    with Store.open(path, readonly=True, clock=clock) as old, PgStore.open(pg_url) as new:
        assert done.records == old.version == new.version
        assert new.snoozes() == old.snoozes()
        assert dict(new.reminder_entries()) == dict(old.reminder_entries())
        for code in old.codes():
            assert new.history(code) == old.history(code)
