"""The APScheduler wiring: one BackgroundScheduler holding one date job, at the next due instant.

APScheduler is only the alarm clock. What was posted lives in the ledger (jobs.ledger): a job
that APScheduler drops or a process that dies loses nothing, the next run finds it due.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

from jobs.outbox import Outbox
from jobs.reminders import Compose, Reminders, ReminderSettings, ReminderStore

log = logging.getLogger(__name__)

JOB_ID = "brs-reminders"
# Wake at least this often, so the store's "last run" stays recent and catch-up stays small.
HEARTBEAT = timedelta(hours=1)
AFTER_ERROR = timedelta(minutes=1)
# Changes to these may move a reminder earlier: run at once, then schedule the next.
SCHEDULE_KINDS = frozenset({"deadline", "event", "setting"})


class ReminderScheduler:
    """Run `reminders` at each next due instant; `poke()` when the schedule may have changed.

    `speed` is simulated seconds per real second for a clock that runs fast (the benchmark);
    the scheduler itself always sleeps in real time.
    """

    def __init__(
        self,
        reminders: Reminders,
        *,
        clock: Callable[[], datetime],
        tz: ZoneInfo,
        speed: float = 1.0,
        on_posted: Callable[[], None] | None = None,
    ) -> None:
        self._reminders = reminders
        self._clock = clock
        self._speed = speed
        self._on_posted = on_posted  # told after a run that posted (App Home refreshes)
        self._scheduler = BackgroundScheduler(
            timezone=tz,
            job_defaults={
                "coalesce": True,
                # Late is still worth posting; the ledger stops duplicates, not APScheduler.
                "misfire_grace_time": None,
                # A poke during a run adds a job while the running one counts as an instance;
                # runs queue on _run_lock and one that is skipped is covered by one queued.
                "max_instances": 3,
            },
        )
        self._run_lock = threading.Lock()
        self._mutex = threading.Lock()  # guards _pokes, _stopped and adding the job
        self._pokes = 0
        self._stopped = False
        self.next_at: datetime | None = None  # the simulated instant of the next run

    def start(self, *, catch_up: bool = True) -> None:
        self._reminders.start(catch_up=catch_up)
        self._scheduler.start()
        self.poke()  # the catch-up runs on the scheduler's thread: startup does not wait for Slack
        log.info("reminders: scheduler started")

    def shutdown(self) -> None:
        with self._mutex:
            self._stopped = True
        self._scheduler.shutdown(wait=True)
        log.info("reminders: scheduler stopped")

    def poke(self) -> None:
        """Run now: something changed that may have moved the schedule."""
        with self._mutex:
            self._pokes += 1
            self._add(self._clock())

    def on_commit(self, changes: Iterable[Any]) -> None:
        """Store hook: a deadline, event or setting changed."""
        if any(getattr(c, "kind", None) in SCHEDULE_KINDS for c in changes):
            self.poke()

    def _tick(self) -> None:
        with self._run_lock:
            with self._mutex:
                seen = self._pokes
            try:
                done = self._reminders.run()
                next_at = done.next_at
                if done.posted and self._on_posted is not None:
                    self._on_posted()
            except Exception:
                log.exception("reminders: the run failed; trying again in a minute")
                next_at = self._clock() + AFTER_ERROR
            wake = self._clock() + HEARTBEAT
            if next_at is not None and next_at < wake:
                wake = next_at
            with self._mutex:
                # A poke since this run read its state has added a run of its own.
                if self._pokes == seen:
                    self._add(wake)

    def _add(self, at: datetime) -> None:
        """Schedule the one job at simulated instant `at` (caller holds _mutex)."""
        if self._stopped:
            return
        seconds = max((at - self._clock()).total_seconds(), 0.0) / self._speed
        self.next_at = at
        self._scheduler.add_job(
            self._tick,
            trigger="date",
            run_date=datetime.now(UTC) + timedelta(seconds=seconds),
            id=JOB_ID,
            name="brs reminders",
            replace_existing=True,
        )


def start_scheduler(
    store: ReminderStore,
    settings: ReminderSettings,
    outbox: Outbox,
    clock: Callable[[], datetime],
    *,
    compose: Compose,
    on_posted: Callable[[], None] | None = None,
) -> ReminderScheduler:
    """`brs serve`'s scheduler: posts to `outbox`, reschedules on every store commit.

    `on_posted` is called after every run that posted something.
    """
    reminders = Reminders(store, settings, outbox, clock, compose=compose)
    scheduler = ReminderScheduler(reminders, clock=clock, tz=settings.tz, on_posted=on_posted)
    store.on_commit(scheduler.on_commit)  # type: ignore[attr-defined]
    scheduler.start()
    return scheduler


class Leadership(Protocol):
    """A lock that at most one process holds (store.postgres.leader.SchedulerLock)."""

    def acquire(self) -> bool: ...
    def held(self) -> bool: ...
    def release(self) -> None: ...


# How often a process asks for the lock or checks it still has it: a dead scheduler's process
# is replaced within this (well inside the minute the issue allows).
LEADER_POLL = 5.0


class WhenLeader:
    """Runs the scheduler only while this process holds `lock`: several `brs serve` processes
    on one database, one scheduler. Losing the lock stops the scheduler; the next poll retries."""

    def __init__(
        self,
        lock: Leadership,
        start: Callable[[], ReminderScheduler],
        *,
        every: float = LEADER_POLL,
    ) -> None:
        self._lock = lock
        self._start = start
        self._every = every
        self._stop = threading.Event()
        self._scheduler: ReminderScheduler | None = None
        self._thread = threading.Thread(target=self._run, name="brs-leader", daemon=True)

    @property
    def leading(self) -> bool:
        return self._scheduler is not None

    @property
    def next_at(self) -> datetime | None:
        """The scheduler's next run while this process leads (bot.slack.health reads it)."""
        scheduler = self._scheduler
        return scheduler.next_at if scheduler is not None else None

    def start(self) -> WhenLeader:
        self._check()  # at once: a lone process schedules from its first second
        self._thread.start()
        return self

    def shutdown(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self._every + 5)
        if self._scheduler is not None:
            self._scheduler.shutdown()
            self._scheduler = None
        self._lock.release()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._check()
            except Exception:  # keep polling: the database may come back
                log.exception("reminders: checking the scheduler lock failed")

    def _check(self) -> None:
        if self._scheduler is None:
            if self._lock.acquire():
                log.info("reminders: this process holds the scheduler lock")
                self._scheduler = self._start()
        elif not self._lock.held():
            log.warning("reminders: the scheduler lock was lost; stopping the scheduler")
            self._scheduler.shutdown()
            self._scheduler = None


def run_scheduler(
    store: Any, start: Callable[[], ReminderScheduler]
) -> ReminderScheduler | WhenLeader:
    """`start()` now for a store one process owns; for a shared one (it offers a
    `scheduler_lock()`), only in the process that holds that lock."""
    make_lock = getattr(store, "scheduler_lock", None)
    if make_lock is None:
        return start()
    return WhenLeader(make_lock(), start).start()
