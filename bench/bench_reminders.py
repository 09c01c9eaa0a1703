"""Reminder lateness against the fake Slack, and the cost of recomputing the schedule.

1. Lateness: 20 deadlines on 20 consecutive days, a reminder on each (lead 0), run by the
   real APScheduler wiring (jobs.runner) and posted over real HTTP to the tests' fake Slack
   Web API. The clock runs fast, a simulated day per 1.5 s, so the 20 fall due over 30 s of
   real time; lateness is the real time from a reminder's due instant to the fake receiving
   the post. The overdue notices and Monday digests posted on the way are measured too.
   Then 20 reminders due at the same instant. Target: max under 1 s.
2. Recomputing the schedule (jobs.schedule.plan) for 10,000 open deadlines, and a whole
   Reminders.run() with nothing due on a store holding them (its bookkeeping written, the last
   run time included). Targets: plan under 100 ms, the run under 10 ms.

Usage: .venv/bin/python bench/run.py reminders   (or: .venv/bin/python bench/bench_reminders.py)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Zurich")
DAY_SECONDS = 1.5  # real seconds per simulated day
REMINDERS = 20
DEADLINES = 10_000
RUNS = 30


def _store(path: Path, deadlines: list, clock):
    """A store holding `deadlines`, written straight into TinyDB: quicker to prepare than
    10,000 history records, and the same store to the reminders."""
    from tinydb import TinyDB

    from store.events import DEFAULT_EVENTS
    from store.model import Activity, Report, Row, Section, deadline_to_dict
    from store.repository import Store
    from store.storage import AtomicJSONStorage

    section = Section("I", "Bench")
    activities = tuple(
        Activity(f"S{n}", f"Activity {n}", "I", "Bench", (Row(),), n) for n in (1, 2)
    )
    with Store.open(path, clock=clock) as store:
        store.import_report(Report("Bench", (section,), activities, ()))
        store.set_default_events(DEFAULT_EVENTS)
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.table("deadlines").insert_multiple(deadline_to_dict(d) for d in deadlines)
    return Store.open(path, clock=clock)


def _deadline(n: int, on: date):
    from store.model import Deadline

    return Deadline(f"S{1 + n % 2}-{n + 1}", f"S{1 + n % 2}", f"thing {n}", f"Do thing {n}.", on=on)


def lateness(spread: bool = True) -> dict[str, list[float]]:
    from bot.compose import compose
    from bot.settings import Settings
    from bot.slack.app import web_client
    from bot.slack.outbox import SlackOutbox
    from jobs.reminders import Reminders
    from jobs.runner import ReminderScheduler
    from tests.e2e.fake_slack import FakeSlack

    fake = FakeSlack().start()
    speed = 86_400 / DAY_SECONDS
    start_sim = datetime(2012, 9, 1, 6, 0, tzinfo=TZ)  # 3 simulated hours (0.19 s) before
    start_real = time.time()

    def clock() -> datetime:
        return start_sim + timedelta(seconds=(time.time() - start_real) * speed)

    def real(at: datetime) -> float:
        return start_real + (at - start_sim).total_seconds() / speed

    settings = Settings(
        tz=TZ,
        workdays=frozenset(range(7)),  # reminders on consecutive days, weekends included
        remind_at=clock_time(9, 0),
        lead_days=(0,),
        reminder_channel="C0BENCH",
        bot_token="xoxb-bench",
        api_url=fake.base_url,
    )
    days = [start_sim.date() + timedelta(days=n if spread else 0) for n in range(REMINDERS)]
    with tempfile.TemporaryDirectory() as tmp:
        store = _store(Path(tmp) / "brs.json", [_deadline(n, d) for n, d in enumerate(days)], clock)
        outbox = SlackOutbox(web_client(settings))
        scheduler = ReminderScheduler(
            Reminders(store, settings, outbox, clock, compose=compose),
            clock=clock,
            tz=TZ,
            speed=speed,
        )
        scheduler.start()
        try:
            end = real(datetime.combine(days[-1], settings.remind_at, tzinfo=TZ)) + 2
            while time.time() < end:
                time.sleep(0.05)
        finally:
            scheduler.shutdown()
            store.close()
    fake.stop()
    late: dict[str, list[float]] = {"reminders": [], "overdue notices": [], "digests": []}
    for call in fake.calls("chat.postMessage"):
        payload = call.body["metadata"]["event_payload"]
        due = datetime.combine(date.fromisoformat(payload["on"]), settings.remind_at, tzinfo=TZ)
        if payload["key"].endswith("|overdue"):
            due += timedelta(days=1)
            kind = "overdue notices"
        else:
            kind = "digests" if payload["key"] == "digest" else "reminders"
        late[kind].append((call.at - real(due)) * 1000)
    return late


def recompute() -> tuple[list[float], list[float], int]:
    from bot.compose import compose
    from bot.console.outbox import ConsoleOutbox
    from bot.settings import Settings
    from jobs.ledger import Ledger
    from jobs.reminders import Reminders
    from jobs.schedule import plan

    now = datetime(2012, 9, 1, 12, 0, tzinfo=TZ)
    clock = lambda: now  # noqa: E731
    settings = Settings(tz=TZ, reminder_channel=None)  # no channel: nothing is posted
    first = date(2012, 3, 1)  # 400 days of deadlines: past, due around now, and to come
    deadlines = [_deadline(n, first + timedelta(days=n % 400)) for n in range(DEADLINES)]
    with tempfile.TemporaryDirectory() as tmp:
        store = _store(Path(tmp) / "brs.json", deadlines, clock)
        try:
            ledger = Ledger(store)
            ledger.set_last_run(now - timedelta(hours=1))
            dls, events = store.deadlines(), store.events()
            assert sum(d.is_open for d in dls) == DEADLINES
            plan_ms = []
            for _ in range(RUNS):
                t = time.perf_counter()
                p = plan(dls, events, settings, ledger.snapshot(), last_run=now, now=now)
                plan_ms.append((time.perf_counter() - t) * 1000)
            reminders = Reminders(
                store, settings, ConsoleOutbox(sys.stdout, clock, TZ), clock, compose=compose
            )
            run_ms = []
            for _ in range(10):
                t = time.perf_counter()
                reminders.run()
                run_ms.append((time.perf_counter() - t) * 1000)
        finally:
            store.close()
    return plan_ms, run_ms, len(p.post)


def _row(label: str, values: list[float]) -> str:
    if not values:
        return f"  {label:<34} none"
    return (
        f"  {label:<34} n={len(values):<3} median {statistics.median(values):7.1f} ms"
        f"   max {max(values):7.1f} ms"
    )


def main() -> None:
    print(
        f"lateness: {REMINDERS} reminders on consecutive days, a simulated day per "
        f"{DAY_SECONDS} s (APScheduler, real HTTP to the fake Slack)"
    )
    late = lateness()
    for kind, values in late.items():
        print(_row(kind, values))
    worst = max(v for values in late.values() for v in values)
    print(f"  max lateness {worst:.1f} ms (target < 1000 ms)")
    print(f"lateness: {REMINDERS} reminders due at the same instant")
    burst = lateness(spread=False)
    print(_row("reminders", burst["reminders"]))
    plan_ms, run_ms, due = recompute()
    print(f"recompute with {DEADLINES:,} open deadlines ({due} due)")
    print(_row("plan()", plan_ms) + "   (target < 100 ms)")
    print(_row("Reminders.run(), nothing due", run_ms) + "   (target <= 10 ms)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
