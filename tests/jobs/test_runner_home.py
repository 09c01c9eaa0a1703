"""The scheduler tells App Home after a run that posted a reminder, and only then."""

from __future__ import annotations

import threading
import time

from bot.compose import compose
from jobs.reminders import Reminders
from jobs.runner import ReminderScheduler
from store.model import deadline_to_dict
from tests.jobs.conftest import TZ
from tests.jobs.test_runner import RealClockOutbox, real_clock, settings_for, soon, store  # noqa: F401
from tests.store.factories import deadline


def test_a_run_that_posted_calls_on_posted_and_an_empty_one_does_not(store):  # noqa: F811
    due = soon(0.6)
    outbox = RealClockOutbox()
    posted = threading.Event()
    calls: list[int] = []

    def on_posted() -> None:
        calls.append(len(outbox.posts))
        posted.set()

    scheduler = ReminderScheduler(
        Reminders(store, settings_for(due), outbox, real_clock, compose=compose),
        clock=real_clock,
        tz=TZ,
        on_posted=on_posted,
    )
    store.on_commit(scheduler.on_commit)
    scheduler.start()
    try:
        time.sleep(0.2)  # the first run posted nothing
        assert calls == []
        new = deadline("S17-1", due.date(), "the report")
        store.commit("U1", [("deadline:S17-1", "", None, deadline_to_dict(new))])
        assert posted.wait(3.0)
    finally:
        scheduler.shutdown()
    assert calls == [1]  # after the post, once
