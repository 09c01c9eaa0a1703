"""A Slack request's key rides in the batch of what it changed: a replay is a no-op, even
after a restart, and old keys do not pile up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jobs.clock import SimClock
from store.bootstrap import open_store
from store.history import history_path
from store.repository import Store
from store.requests import Replayed

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


def _update(store: Store, line: str) -> None:
    a = store.activity("S17")
    assert a is not None
    old = list(a.rows[0].status)
    store.commit("U1", [("activity:S17", "rows.0.status", old, [*old, line])])


def test_a_replayed_request_changes_nothing_even_after_a_restart(tmp_path) -> None:
    clock = SimClock(NOW)
    with open_store(tmp_path / "brs.json", clock=clock) as store:
        with store.requests.answering("cmd:1345446000:v0=abc"):
            _update(store, "first")
        lines = len(history_path(tmp_path / "brs.json").read_bytes().splitlines())
    with Store.open(tmp_path / "brs.json", clock=clock) as again:
        with pytest.raises(Replayed), again.requests.answering("cmd:1345446000:v0=abc"):
            _update(again, "first")
        a = again.activity("S17")
        assert a is not None and a.rows[0].status.count("first") == 1
    # The key cost no fsync of its own: one batch, the change and its key together.
    assert len(history_path(tmp_path / "brs.json").read_bytes().splitlines()) == lines


def test_reads_and_the_console_record_nothing_and_old_keys_are_dropped(tmp_path) -> None:
    clock = SimClock(NOW)
    with open_store(tmp_path / "brs.json", clock=clock) as store:
        with store.requests.answering("cmd:1:v0=old"):
            _update(store, "one")
        with store.requests.answering("cmd:1:v0=read"):
            store.activities()  # a read commits nothing, so nothing is recorded
        clock.set(NOW + timedelta(hours=1))
        with store.requests.answering("cmd:2:v0=new"):
            _update(store, "two")
        _update(store, "no key")  # outside a request: the console, the scheduler
        keys = {c.target for c in store.history("request:cmd:1:v0=old")} | {
            c.target for c in store.history("request:cmd:2:v0=new")
        }
        assert keys == {"request:cmd:1:v0=old", "request:cmd:2:v0=new"}
        assert store.history("request:cmd:1:v0=old")[-1].new is None  # dropped an hour on
        assert store.history("request:cmd:1:v0=read") == []
