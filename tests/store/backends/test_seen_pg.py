"""PostgreSQL only: the Events API's seen window is shared by every process and outlives one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jobs.clock import SimClock
from store.postgres.repository import PgStore

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


def test_an_event_handled_by_one_process_is_not_handled_by_another_nor_after_a_restart(pg_url):
    clock = SimClock(NOW)
    with PgStore.open(pg_url, clock=clock) as a, PgStore.open(pg_url, clock=clock) as b:
        first, second = a.seen_window(), b.seen_window()
        assert first.claim("event:Ev1")
        assert not second.claim("event:Ev1")  # being handled by the other process
        first.done("event:Ev1")
        assert not second.claim("event:Ev1")  # handled
        assert second.claim("event:Ev2")
        second.release("event:Ev2")  # not handled after all: a retry may try again
        assert first.claim("event:Ev2")
    with PgStore.open(pg_url, clock=clock) as again:
        assert not again.seen_window().claim("event:Ev1")


def test_a_claim_left_by_a_process_that_died_is_free_again_and_old_keys_go(pg_url):
    clock = SimClock(NOW)
    with PgStore.open(pg_url, clock=clock) as a, PgStore.open(pg_url, clock=clock) as b:
        assert a.seen_window().claim("event:Ev3")  # its process dies before done()
        assert not b.seen_window().claim("event:Ev3")
        clock.set(NOW + timedelta(seconds=61))
        assert b.seen_window().claim("event:Ev3")  # Slack's retry is not lost
        b.seen_window().done("event:Ev3")
        clock.set(NOW + timedelta(hours=3))  # past the window: forgotten
        assert a.seen_window().claim("event:Ev3")
