"""The reminder ledger and commit listeners on both backends (ported from
tests/store/test_reminder_ledger.py)."""

from __future__ import annotations

from datetime import date

import pytest

from store.repository import StoreError


def test_entries_persist_replace_and_remove_without_touching_the_history(store, open_store):
    version = store.version
    store.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sending"}})
    store.put_reminder_entries(
        {
            "S17-2|7": {"on": "2012-12-31", "state": "sent", "ts": "1.2"},
            "S1-1|0": {"on": "2013-06-30", "state": "skipped"},
        }
    )
    store.put_reminder_entries({"S1-1|0": None, "absent|1": None})
    assert store.version == version
    store.close()
    with open_store() as s:
        assert dict(s.reminder_entries()) == {
            "S17-2|7": {"on": "2012-12-31", "state": "sent", "ts": "1.2", "key": "S17-2|7"}
        }


def test_entries_are_read_only_snapshots(store):
    store.put_reminder_entries({"k": {"on": "2012-12-31", "state": "sent"}})
    snapshot = store.reminder_entries()
    store.put_reminder_entries({"k": {"on": "2012-12-31", "state": "skipped"}})
    assert snapshot["k"]["state"] == "sent"
    with pytest.raises(TypeError):
        snapshot["k"] = {}  # type: ignore[index]


def test_commit_listeners_see_every_commit_and_cannot_break_one(store):
    seen = []

    def broken(changes):
        raise RuntimeError("listener bug")

    store.on_commit(broken)
    store.on_commit(lambda changes: seen.append([c.target for c in changes]))
    store.set_event("COP-2013", date(2013, 4, 28), "U1")
    store.set_setting("reminder_channel", "C1", "U1")
    store.set_setting("reminder_channel", "C1", "U1")  # no change: no commit
    assert seen == [["event:COP-2013"], ["setting:reminder_channel"]]
    assert store.events() == {"COP-2013": date(2013, 4, 28)}


def test_meta_keys_the_store_manages_are_refused(store):
    with pytest.raises(StoreError, match="managed by the store"):
        store.set_meta("schema_version", 5)
