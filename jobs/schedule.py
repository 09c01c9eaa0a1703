"""Pure reminder arithmetic: when each reminder falls due and what is due at a given instant."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from jobs.recipients import dm_key
from store.model import Deadline

OVERDUE = "overdue"
DIGEST = "digest"
ALL_DAYS = frozenset(range(7))
# Posted later than this after its instant, a reminder says it is late (retries take seconds).
LATE_AFTER = timedelta(minutes=1)
DONE_STATES = frozenset({"sent", "skipped"})


class Timing(Protocol):
    """The settings reminders depend on; bot.settings.Settings is one."""

    @property
    def tz(self) -> ZoneInfo: ...
    @property
    def remind_at(self) -> time: ...
    @property
    def lead_days(self) -> tuple[int, ...]: ...
    @property
    def workdays(self) -> frozenset[int]: ...  # date.weekday() numbers reminders are posted on
    @property
    def digest_day(self) -> int: ...  # date.weekday() of the digest
    @property
    def digest_time(self) -> time: ...


@dataclass(frozen=True)
class Item:
    """One reminder (a lead or the overdue notice) or one week's digest."""

    # The ledger key: "S17-2|7", "S17-2|overdue" or "digest" for the channel, with "|dm:U123"
    # after it for a direct message; never holds the day.
    key: str
    on: date  # the deadline's date, or the digest's day
    day: date  # the local day it falls due (a working day)
    at: datetime  # when it falls due, aware, in the reminder time zone
    lead: int | None = None  # days before the deadline; None for the overdue notice and digest
    deadline: Deadline | None = None
    to: str | None = None  # the user whose DM it goes to; None: the reminder channel

    @property
    def kind(self) -> str:
        if self.deadline is None:
            return DIGEST
        return OVERDUE if self.lead is None else "lead"

    def late(self, now: datetime) -> bool:
        return now - self.at > LATE_AFTER


@dataclass(frozen=True)
class Entry:
    """What the ledger knows of one key: the latest attempt to post it."""

    key: str
    on: date
    state: str  # "sending" (posting, or to retry), "sent", or "skipped" (superseded, snoozed)
    channel: str | None = None
    ts: str | None = None
    since: datetime | None = None  # when the first attempt started
    attempts: int = 0
    next_try: datetime | None = None

    def settles(self, item: Item) -> bool:
        """This entry means `item` needs nothing more."""
        return self.on == item.on and self.state in DONE_STATES


class Book(Protocol):
    """The ledger as plan() reads it."""

    def entry(self, key: str) -> Entry | None: ...
    def snoozes(self) -> Mapping[str, date]: ...  # deadline id -> no reminders before this day
    def unfinished(self) -> Iterable[Entry]: ...


@dataclass(frozen=True)
class Plan:
    post: tuple[Item, ...]  # due now: at most one per deadline (the latest), then the digest
    skip: tuple[Item, ...]  # due but superseded by a later one or snoozed: never to be posted
    stale: tuple[str, ...]  # unfinished ledger keys that no longer match a reminder
    next_at: datetime | None  # the next instant after now when something falls due or is retried


def instant(day: date, timing: Timing, at: time | None = None) -> datetime:
    """`day` at the reminder time, local wall time (zoneinfo picks the offset, DST included)."""
    return datetime.combine(day, at or timing.remind_at, tzinfo=timing.tz)


def lead_key(deadline_id: str, lead: int | None) -> str:
    return f"{deadline_id}|{OVERDUE if lead is None else lead}"


def working_day(day: date, workdays: frozenset[int], *, forward: bool = False) -> date:
    """`day` if people work then, else the last working day before it (`forward`: the next).

    A reminder before a deadline moves earlier, so it still comes before the deadline; the
    overdue notice moves later, so it never comes before the deadline has passed.
    """
    step = timedelta(days=1 if forward else -1)
    for _ in range(7):
        if day.weekday() in workdays or not workdays:
            return day
        day += step
    return day


def reminder_day(on: date, lead: int | None, timing: Timing) -> date:
    """The local day the reminder `lead` days before `on` (None: overdue) is posted."""
    if lead is None:
        return working_day(on + timedelta(days=1), timing.workdays, forward=True)
    return working_day(on - timedelta(days=lead), timing.workdays)


def items_for(dl: Deadline, on: date, timing: Timing) -> list[Item]:
    """A deadline's reminders for its date `on`, earliest first: the leads, then overdue."""
    out = []
    for lead in [*sorted(set(timing.lead_days), reverse=True), None]:
        day = reminder_day(on, lead, timing)
        out.append(Item(lead_key(dl.id, lead), on, day, instant(day, timing), lead, dl))
    return out


def digest_item(day: date, timing: Timing, to: str | None = None) -> Item:
    key = DIGEST if to is None else dm_key(DIGEST, to)
    return Item(key, day, day, instant(day, timing, timing.digest_time), to=to)


def _nobody(code: str) -> tuple[str, ...]:
    return ()


def _no_one() -> tuple[str, ...]:
    return ()


class _Clock:
    """Compare local days with `now` and `last_run` without building an instant per reminder."""

    def __init__(
        self, timing: Timing, last_run: datetime, now: datetime, at: time | None = None
    ) -> None:
        self.today = now.astimezone(timing.tz).date()
        self._today_due = now >= instant(self.today, timing, at)
        self.last_day = last_run.astimezone(timing.tz).date()
        self._last_day_open = instant(self.last_day, timing, at) > last_run

    def due(self, day: date) -> bool:
        """The reminder instant of `day` is at or before now."""
        return day < self.today or (day == self.today and self._today_due)

    def after_last_run(self, day: date) -> bool:
        """The reminder instant of `day` is after the last run: it fell due since."""
        return day > self.last_day or (day == self.last_day and self._last_day_open)


def plan(
    deadlines: Iterable[Deadline],
    events: Mapping[str, date],
    timing: Timing,
    book: Book,
    *,
    last_run: datetime,
    now: datetime,
    dms: Callable[[str], tuple[str, ...]] = _nobody,
    digest_dms: Callable[[], tuple[str, ...]] = _no_one,
) -> Plan:
    """What to post at `now`, given that everything due up to `last_run` was handled.

    A reminder is due when its instant is in (last_run, now], or when an earlier attempt
    is unfinished; of one deadline's due reminders only the latest is posted, the others
    are skipped. Snoozed reminders are skipped too. Each reminder goes to the channel and,
    as an item of its own (its own ledger key), to each user `dms(activity code)` names;
    the digest to the channel and each user `digest_dms()` names. Both are asked only for
    what is due, so a run with nothing due reads no recipients.
    """
    clock = _Clock(timing, last_run, now)
    unfinished = {e.key: e for e in book.unfinished()}
    pending = {key.split("|")[0] for key in unfinished}
    snoozes = book.snoozes()
    leads: list[int | None] = [*sorted(set(timing.lead_days), reverse=True), None]
    days: dict[tuple[date, int | None], date] = {}

    def day_of(on: date, lead: int | None) -> date:
        # Deadlines share few dates: working out each (date, lead) once keeps a run with
        # nothing due at 10,000 deadlines to a few milliseconds.
        found = days.get((on, lead))
        if found is None:
            found = days[(on, lead)] = reminder_day(on, lead, timing)
        return found

    out = _Out()
    next_day: date | None = None
    for dl in deadlines:
        on = dl.resolved(events) if dl.is_open else None
        if on is None:
            continue
        snooze = snoozes.get(dl.id)
        # Most deadlines are wholly in the future or wholly handled: decide those at a glance.
        if snooze is None and (first := day_of(on, leads[0])) > clock.today:
            next_day = first if next_day is None or first < next_day else next_day
            continue
        if day_of(on, None) < clock.last_day and dl.id not in pending:
            continue
        targets: tuple[str | None, ...] = (None, *dms(dl.activity))
        candidates: dict[str | None, list[Item]] = {t: [] for t in targets}
        # Working days keep the days in order (several may share one), so the walk can stop
        # at the first one not due yet.
        for lead in leads:
            day = day_of(on, lead)
            if not clock.due(day):
                if snooze is None or day >= snooze:
                    next_day = day if next_day is None or day < next_day else next_day
                    break  # later ones are later still
                continue
            base = lead_key(dl.id, lead)
            fell_due = clock.after_last_run(day)
            for to in targets:
                key = base if to is None else dm_key(base, to)
                waiting = unfinished.get(key)
                if fell_due or (waiting is not None and waiting.on == on):
                    item = Item(key, on, day, instant(day, timing), lead, dl, to)
                    candidates[to].append(item)
        for found in candidates.values():  # per recipient: the latest, the others skipped
            if not found:
                continue
            *older, newest = found
            for item in older:
                out.settle(item, book)
            if snooze is not None and newest.day < snooze:
                out.settle(newest, book)
            else:
                out.offer(newest, book, unfinished.get(newest.key), now)

    digest_clock = _Clock(timing, last_run, now, timing.digest_time)
    digests, next_digest = _digest(digest_clock, timing, unfinished, digest_dms)
    for digest in digests:
        out.offer(digest, book, unfinished.get(digest.key), now)

    out.post.sort(key=lambda i: (i.deadline is None, i.at))
    times = [instant(next_day, timing)] if next_day else []
    times += [next_digest, *out.retries]
    stale = tuple(sorted(k for k in unfinished if k not in out.matched))
    return Plan(tuple(out.post), tuple(out.skip), stale, min(times))


class _Out:
    """What plan() decides, item by item."""

    def __init__(self) -> None:
        self.post: list[Item] = []
        self.skip: list[Item] = []
        self.retries: list[datetime] = []
        self.matched: set[str] = set()  # unfinished entries that are still wanted

    def settle(self, item: Item, book: Book) -> None:
        """Superseded or snoozed: record it as skipped, unless the ledger already settled it."""
        entry = book.entry(item.key)
        if entry is None or not entry.settles(item):
            self.skip.append(item)

    def offer(self, item: Item, book: Book, waiting: Entry | None, now: datetime) -> None:
        """Post it now, or at its retry time, unless already sent."""
        entry = book.entry(item.key)
        if entry is not None and entry.settles(item):
            return
        if waiting is not None and waiting.on == item.on:
            self.matched.add(item.key)
            if waiting.next_try is not None and waiting.next_try > now:
                self.retries.append(waiting.next_try)
                return
        self.post.append(item)


def _digest(
    clock: _Clock,
    timing: Timing,
    unfinished: Mapping[str, Entry],
    digest_dms: Callable[[], tuple[str, ...]],
) -> tuple[list[Item], datetime]:
    """The digests due now (the latest digest day's, if it fell due since the last run or is
    unfinished: the channel's and each person's) and the next digest's instant."""
    at = timing.digest_time
    day = clock.today - timedelta(days=(clock.today.weekday() - timing.digest_day) % 7)
    if not clock.due(day):
        return [], instant(day, timing, at)
    nxt = instant(day + timedelta(days=7), timing, at)
    fell_due = clock.after_last_run(day)
    waiting = [e for k, e in unfinished.items() if k.split("|")[0] == DIGEST and e.on == day]
    if not fell_due and not waiting:
        return [], nxt
    targets = dict.fromkeys([None, *digest_dms()])
    if not fell_due:  # only the unfinished ones are still to do
        done = {e.key for e in waiting}
        targets = {t: None for t in targets if digest_item(day, timing, t).key in done}
    return [digest_item(day, timing, t) for t in targets], nxt
