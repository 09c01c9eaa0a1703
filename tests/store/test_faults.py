"""Writes that cannot be saved say "not saved: <why>" and lose nothing; health() says why."""

from __future__ import annotations

import errno
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jobs.ledger import Ledger
from store import history as history_file
from store import ledgerfile
from store.history import history_path
from store.lock import lock_path
from store.repository import Store, StoreError
from tests.store.factories import sample_report

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "brs.json"


@pytest.fixture
def store(path):
    with Store.open(path, clock=clock, checkpoint_every=100) as s:
        s.import_report(sample_report())
        yield s


def update(s: Store, line: str) -> None:
    old = list(s.activity("S17").rows[0].status)
    s.commit("U1", [("activity:S17", "rows.0.status", old, [*old, line])])


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_healthy_store_says_nothing(store, path):
    assert store.health() is None
    with Store.open(path, readonly=True, clock=clock) as ro:
        assert "read-only" in ro.health()


def test_a_deleted_history_stops_writes_and_keeps_what_was_acknowledged(store, path):
    update(store, "before")  # in the history only: the database file is 100 records behind
    history_path(path).unlink()
    with pytest.raises(StoreError) as err:
        update(store, "after")
    message = str(err.value)
    assert message.startswith("not saved: the history file") and "was deleted" in message
    assert "\n" not in message
    assert "was deleted" in store.health()
    with pytest.raises(StoreError, match="^not saved: "):
        store.set_event("COP-2013", date(2013, 5, 6), "U1")
    store.close()
    with Store.open(path, clock=clock) as again:  # a restart: a new history, nothing lost
        status = again.activity("S17").rows[0].status
        assert status[-1] == "before" and "after" not in status
        assert again.health() is None


def test_a_replaced_history_stops_writes(store, path):
    update(store, "before")
    replacement = path.with_name("other.jsonl")
    replacement.write_bytes(history_path(path).read_bytes())
    os.replace(replacement, history_path(path))
    with pytest.raises(StoreError, match="^not saved: the history file .* was replaced"):
        update(store, "after")
    assert "replaced" in store.health()
    assert history_path(path).read_bytes().count(b"after") == 0


def test_a_full_disk_says_so_saves_nothing_and_recovers(store, path, monkeypatch):
    size = history_path(path).stat().st_size
    before = store.activity("S17")
    monkeypatch.setattr(history_file, "_write_all", full_disk)
    with pytest.raises(StoreError) as err:
        update(store, "no room")
    assert str(err.value).startswith("not saved: the disk is full")
    assert store.activity("S17") == before and history_path(path).stat().st_size == size
    assert store.health().startswith("last write failed: the disk is full")
    monkeypatch.undo()
    update(store, "room again")
    assert store.health() is None
    assert store.activity("S17").rows[0].status[-1] == "room again"


def test_a_full_disk_under_the_ledger_says_so_and_keeps_the_entries(store, path, monkeypatch):
    ledger = Ledger(store)
    ledger.set_last_run(NOW)
    monkeypatch.setattr(ledgerfile, "_write_all", full_disk)
    with pytest.raises(StoreError, match="^not saved: the disk is full"):
        store.put_reminder_entries({"S17-2|7": {"on": "2012-08-31", "state": "sending"}})
    assert "S17-2|7" not in store.reminder_entries()
    assert "disk is full" in store.health()
    monkeypatch.undo()
    store.put_reminder_entries({"S17-2|7": {"on": "2012-08-31", "state": "sending"}})
    assert store.health() is None
    store.close()
    with Store.open(path, clock=clock) as again:
        assert again.reminder_entries()["S17-2|7"]["state"] == "sending"
        assert Ledger(again).last_run() == NOW


def test_a_full_disk_at_a_checkpoint_is_reported_and_the_history_keeps_the_change(path):
    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report())
        real = s._storage._write_disk
        s._storage._write_disk = full_disk  # type: ignore[method-assign]
        update(s, "kept by the history")  # acknowledged: the history has it
        assert s.health().startswith("last write failed: the disk is full")
        s._storage._write_disk = real  # type: ignore[method-assign]
        update(s, "and the next one")
        assert s.health() is None
    with Store.open(path, clock=clock) as again:
        assert again.activity("S17").rows[0].status[-2:] == (
            "kept by the history",
            "and the next one",
        )


def test_a_lost_lock_stops_writes(store, path):
    lock_path(path).unlink()  # a second process could now lock a new file of that name
    assert "lock file" in store.health()
    with pytest.raises(StoreError, match="^not saved: the lock file .* was deleted"):
        update(store, "after")


def test_temporary_files_a_crash_left_are_removed_on_open(path):
    Store.open(path, clock=clock).close()
    left = [
        path.with_name(".brs.history.jsonl.tmp-1"),
        path.with_name(".brs.history.idx.tmp-2"),
        path.with_name(".brs.ledger.jsonl.tmp-3"),
        path.with_name(".brs.json.tmp-4"),
    ]
    for p in left:
        p.write_text("half")
    Store.open(path, clock=clock).close()
    assert [p for p in left if p.exists()] == []
