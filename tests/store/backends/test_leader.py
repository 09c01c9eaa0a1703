"""One scheduler among processes: jobs.runner.WhenLeader over the real PostgreSQL lock."""

from __future__ import annotations

import time

import psycopg
import pytest

from jobs.runner import WhenLeader, run_scheduler
from store.postgres.repository import PgStore
from tests.store.backends.conftest import clock


class FakeScheduler:
    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name = log, name
        log.append(f"{name} started")

    def shutdown(self) -> None:
        self.log.append(f"{self.name} stopped")


def _until(condition, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def stores(pg_url):
    with PgStore.open(pg_url, clock=clock) as a, PgStore.open(pg_url, clock=clock) as b:
        yield a, b


def test_one_leads_and_the_other_takes_over_when_its_session_dies(stores, pg_url):
    a, b = stores
    log: list[str] = []
    lead_a = WhenLeader(a.scheduler_lock(), lambda: FakeScheduler(log, "A"), every=0.05).start()
    lead_b = WhenLeader(b.scheduler_lock(), lambda: FakeScheduler(log, "B"), every=0.05).start()
    try:
        assert lead_a.leading and not lead_b.leading
        time.sleep(0.2)
        assert log == ["A started"]  # B keeps asking and keeps being told no
        with psycopg.connect(pg_url, autocommit=True) as conn:  # A's session dies
            conn.execute("SELECT pg_terminate_backend(%s)", (a.scheduler_lock().pid,))
        assert _until(lambda: lead_b.leading)
        assert _until(lambda: "A stopped" in log)
        assert not lead_a.leading  # A notices and does not take it back while B holds it
        time.sleep(0.2)
        assert not lead_a.leading and log.count("B started") == 1
    finally:
        lead_b.shutdown()
        lead_a.shutdown()
    assert log.count("B stopped") == 1


def test_a_shut_down_leader_hands_over_at_the_next_poll(stores):
    a, b = stores
    log: list[str] = []
    lead_a = run_scheduler(a, lambda: FakeScheduler(log, "A"))
    assert isinstance(lead_a, WhenLeader) and lead_a.leading
    lead_b = WhenLeader(b.scheduler_lock(), lambda: FakeScheduler(log, "B"), every=0.05).start()
    try:
        assert not lead_b.leading
        lead_a.shutdown()  # brs serve stopping: the lock is released with it
        assert _until(lambda: lead_b.leading)
        assert log == ["A started", "A stopped", "B started"]
    finally:
        lead_b.shutdown()


def test_a_tinydb_store_runs_its_scheduler_without_a_lock(tmp_path):
    from store.repository import Store

    log: list[str] = []
    with Store.open(tmp_path / "brs.json", clock=clock) as s:
        started = run_scheduler(s, lambda: FakeScheduler(log, "T"))
    assert isinstance(started, FakeScheduler) and log == ["T started"]
