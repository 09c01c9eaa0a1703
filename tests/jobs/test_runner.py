"""The APScheduler wiring in real time (briefly): on time, rescheduled on commits, stopped cleanly."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.compose import compose
from bot.settings import Settings
from jobs.reminders import Reminders
from jobs.runner import JOB_ID, ReminderScheduler
from jobs.schedule import ALL_DAYS
from store.model import deadline_to_dict
from store.repository import Store
from tests.jobs.conftest import CHANNEL, TZ, FakeOutbox
from tests.store.factories import activity, deadline, report


def real_clock() -> datetime:
    return datetime.now(UTC)


class RealClockOutbox(FakeOutbox):
    def __init__(self) -> None:
        super().__init__(real_clock)  # type: ignore[arg-type]


def soon(seconds: float) -> datetime:
    """`seconds` ahead, in Europe/Zurich (the reminder time may have microseconds in tests)."""
    return datetime.now(TZ) + timedelta(seconds=seconds)


def settings_for(due: datetime) -> Settings:
    return Settings(
        workdays=ALL_DAYS, tz=TZ, remind_at=due.time(), lead_days=(0,), reminder_channel=CHANNEL
    )


def wait_for_posts(outbox: FakeOutbox, count: int, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while len(outbox.posts) < count and time.monotonic() < end:
        time.sleep(0.01)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "brs.json", clock=real_clock) as s:
        s.import_report(report([activity("S17", 17)], []))
        yield s


def test_a_reminder_is_posted_within_a_second_of_its_time(store):
    due = soon(0.5)
    store.commit(
        "U1", [("deadline:S17-1", "", None, deadline_to_dict(deadline("S17-1", due.date())))]
    )
    outbox = RealClockOutbox()
    scheduler = ReminderScheduler(
        Reminders(store, settings_for(due), outbox, real_clock, compose=compose),
        clock=real_clock,
        tz=TZ,
    )
    scheduler.start()
    try:
        wait_for_posts(outbox, 1)
    finally:
        scheduler.shutdown()
    [post] = [p for p in outbox.posts if p.message.key[1] == "S17-1|0"]
    lateness = (post.at - due).total_seconds()
    assert 0 <= lateness < 1.0, lateness


def test_a_commit_reschedules_at_once(store):
    due = soon(0.6)
    outbox = RealClockOutbox()
    scheduler = ReminderScheduler(
        Reminders(store, settings_for(due), outbox, real_clock, compose=compose),
        clock=real_clock,
        tz=TZ,
    )
    store.on_commit(scheduler.on_commit)
    scheduler.start()
    try:
        time.sleep(0.1)  # the first run found nothing: the next wake is the heartbeat
        assert scheduler.next_at is not None and scheduler.next_at > due
        new = deadline("S17-1", due.date(), "added after start")
        store.commit("U1", [("deadline:S17-1", "", None, deadline_to_dict(new))])
        wait_for_posts(outbox, 1)
    finally:
        scheduler.shutdown()
    [post] = outbox.posts
    assert post.message.key[1] == "S17-1|0"
    assert 0 <= (post.at - due).total_seconds() < 1.0


def test_shutdown_stops_the_scheduler_and_later_pokes_do_nothing(store):
    outbox = RealClockOutbox()
    settings = Settings(workdays=ALL_DAYS, tz=TZ, reminder_channel=CHANNEL)
    scheduler = ReminderScheduler(
        Reminders(store, settings, outbox, real_clock, compose=compose), clock=real_clock, tz=TZ
    )
    scheduler.start()
    scheduler.shutdown()
    scheduler.poke()
    assert not scheduler._scheduler.running
    assert scheduler._scheduler.get_job(JOB_ID) is None or not scheduler._scheduler.running


def test_a_failing_run_is_tried_again(store, monkeypatch):
    import jobs.runner

    monkeypatch.setattr(jobs.runner, "AFTER_ERROR", timedelta(milliseconds=50))
    outbox = RealClockOutbox()
    reminders = Reminders(
        store,
        Settings(workdays=ALL_DAYS, tz=TZ, reminder_channel=CHANNEL),
        outbox,
        real_clock,
        compose=compose,
    )
    calls = []
    real_run = reminders.run

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real_run()

    reminders.run = flaky  # type: ignore[method-assign]
    scheduler = ReminderScheduler(reminders, clock=real_clock, tz=TZ)
    scheduler.start()
    try:
        end = time.monotonic() + 3
        while len(calls) < 2 and time.monotonic() < end:
            time.sleep(0.01)
    finally:
        scheduler.shutdown()
    assert len(calls) >= 2


def test_an_accelerated_clock_runs_days_in_seconds(store):
    """`speed`: a simulated day per 0.5 s of real time, as the benchmark does."""
    for n, day in enumerate((date(2012, 10, 21), date(2012, 10, 22), date(2012, 10, 23)), 1):
        new = deadline(f"S17-{n}", day, f"thing {n}")
        store.commit("U1", [(f"deadline:S17-{n}", "", None, deadline_to_dict(new))])
    start_sim = datetime(2012, 10, 20, 12, 0, tzinfo=TZ)
    speed = 86_400 / 0.5
    start_real = time.monotonic()

    def clock() -> datetime:
        return start_sim + timedelta(seconds=(time.monotonic() - start_real) * speed)

    outbox = FakeOutbox(clock)  # type: ignore[arg-type]
    settings = Settings(workdays=ALL_DAYS, tz=TZ, lead_days=(0,), reminder_channel=CHANNEL)
    scheduler = ReminderScheduler(
        Reminders(store, settings, outbox, clock, compose=compose), clock=clock, tz=TZ, speed=speed
    )
    scheduler.start()
    try:
        wait_for_posts(outbox, 6, timeout=4)
    finally:
        scheduler.shutdown()
    on_the_day = [p for p in outbox.posts if p.message.key[1].endswith("|0")]
    assert [p.message.key[1] for p in on_the_day] == ["S17-1|0", "S17-2|0", "S17-3|0"]
    for p in outbox.posts:
        due = datetime.combine(p.at.astimezone(TZ).date(), settings.remind_at, tzinfo=TZ)
        real_lateness = (p.at - due).total_seconds() / speed
        assert 0 <= real_lateness < 0.25, (p.message.key, real_lateness)
