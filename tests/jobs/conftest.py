"""A real store on a temp file, a simulated clock, and an outbox that records (and fails) posts."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.compose import compose
from bot.settings import Settings
from jobs.clock import SimClock
from jobs.outbox import DeliveryError, Message
from jobs.reminders import Posted, Reminders
from jobs.schedule import ALL_DAYS
from store.events import DEFAULT_EVENTS
from store.repository import Store
from tests.store.factories import activity, deadline, report

TZ = ZoneInfo("Europe/Zurich")
CHANNEL = "C0REMIND"
# Every day a working day: these tests check the calendar arithmetic and the ledger alone;
# test_workdays.py checks that weekend reminders move to working days.
SETTINGS = Settings(tz=TZ, remind_at=time(9, 0), reminder_channel=CHANNEL, workdays=ALL_DAYS)
# Europe/Zurich leaves summer time on 28 October 2012: the 1-day reminder of S17-2 falls on
# that day and the others on either side of it.
DST_END = date(2012, 10, 28)


def at(*args: int) -> datetime:
    """A local time in Europe/Zurich."""
    return datetime(*args, tzinfo=TZ)


def sample() -> object:
    return report(
        [activity("S1", 1, title="Tools"), activity("S17", 17, title="Review arrangements")],
        [
            deadline("S1-1", date(2012, 9, 14), "actions defined"),
            deadline("S1-2", date(2012, 3, 29), "meeting", kind="milestone", done=True),
            deadline("S17-2", date(2012, 10, 29), "collect responses"),
            deadline("S17-4", None, "publish the report", event="COP-2013", offset_days=-90),
        ],
    )


@dataclass(frozen=True)
class Post:
    channel: str
    message: Message
    at: datetime
    ts: str


class FakeOutbox:
    """Records posts; `fail` next posts with an error, `lose` answers of posts that did land."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.posts: list[Post] = []
        self.finds: list[str] = []
        self.fail = 0
        self.lose = 0
        self.fail_find = 0
        self._ts = itertools.count(1)

    def post(self, channel: str, message: Message) -> str:
        if self.fail:
            self.fail -= 1
            raise DeliveryError("Slack answered HTTP 500")
        ts = f"1.{next(self._ts):06d}"
        self.posts.append(Post(channel, message, self.clock(), ts))
        if self.lose:
            self.lose -= 1
            raise DeliveryError("Slack could not be reached (connection reset)")
        return ts

    def find(self, channel: str, message: Message, since: datetime | None) -> str | None:
        self.finds.append(message.key[1])
        if self.fail_find:
            self.fail_find -= 1
            raise DeliveryError("looking for an earlier post: Slack answered HTTP 500")
        found = [p.ts for p in self.posts if p.channel == channel and p.message.key == message.key]
        return found[0] if found else None

    def posted(self) -> list[str]:
        return [p.message.key[1] for p in self.posts]


@pytest.fixture
def clock() -> SimClock:
    return SimClock(at(2012, 8, 20, 8, 0))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "brs.json"


@pytest.fixture
def store(db: Path, clock: SimClock) -> Iterator[Store]:
    with Store.open(db, clock=clock) as s:
        s.import_report(sample())
        s.set_default_events(DEFAULT_EVENTS)
        yield s


@pytest.fixture
def outbox(clock: SimClock) -> FakeOutbox:
    return FakeOutbox(clock)


@pytest.fixture
def reminders(store: Store, outbox: FakeOutbox, clock: SimClock) -> Reminders:
    r = Reminders(store, SETTINGS, outbox, clock, compose=compose)
    r.start()
    return r


def drive(reminders: Reminders, clock: SimClock, until: datetime) -> list[Posted]:
    """Run at every instant something falls due, up to `until`, the way the scheduler would."""
    posted: list[Posted] = []
    run = reminders.run()
    posted += run.posted
    while run.next_at is not None and run.next_at <= until:
        clock.set(run.next_at)
        run = reminders.run()
        posted += run.posted
    clock.set(until)
    posted += reminders.run().posted
    return posted
