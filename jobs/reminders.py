"""Post what is due, exactly once: plan, mark sending, post with metadata, mark sent.

The scheduler (jobs.runner) and the console call `run()`; it takes the clock's time, so
simulated time drives it the same way real time does.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from jobs import ledger, recipients
from jobs.ledger import Ledger, LedgerStore
from jobs.outbox import DeliveryError, Message, Outbox
from jobs.schedule import Book, Entry, Item, Timing, plan
from store.model import Activity, Deadline

log = logging.getLogger(__name__)

CHANNEL_SETTING = "reminder_channel"  # set by `/brs remind here`; "" after `/brs remind off`


class ReminderStore(LedgerStore, Protocol):
    def deadlines(self) -> list[Deadline]: ...
    def events(self) -> dict[str, date]: ...
    def activity(self, code: str) -> Activity | None: ...
    def codes(self) -> list[str]: ...
    def setting(self, name: str, default: Any = None) -> Any: ...


# Composes the message for an item as of a day (late or not): given by the layer above.
Compose = Callable[[Any, Item, date, bool], Message]


class ReminderSettings(Timing, Protocol):
    @property
    def reminder_channel(self) -> str | None: ...


@dataclass(frozen=True)
class Posted:
    item: Item
    channel: str
    ts: str
    late: bool
    found: bool = False  # an earlier attempt had posted it: found in the channel, not reposted
    # `channel` is the reminder channel, or for a DM (item.to) the user's ID: the outbox
    # opens their conversation with the bot.


@dataclass(frozen=True)
class Run:
    at: datetime
    posted: tuple[Posted, ...]
    failed: tuple[Item, ...]  # to be tried again (their next try is in next_at)
    skipped: tuple[Item, ...]
    next_at: datetime | None  # when something next falls due or is retried


def reminder_channel(
    store: ReminderStore, settings: ReminderSettings, default: str | None = None
) -> str | None:
    """The channel `/brs remind here` chose, else BRS_REMINDER_CHANNEL; None when off."""
    chosen = store.setting(CHANNEL_SETTING)
    if chosen is None:
        return settings.reminder_channel or default
    return chosen or None


class Reminders:
    """One run at a time (a lock), so two threads can never post the same reminder."""

    def __init__(
        self,
        store: ReminderStore,
        settings: ReminderSettings,
        outbox: Outbox,
        clock: Callable[[], datetime],
        *,
        compose: Compose,
        default_channel: str | None = None,
    ) -> None:
        self._store = store
        self._compose = compose
        self._settings = settings
        self._outbox = outbox
        self._clock = clock
        self._default_channel = default_channel
        self._ledger = Ledger(store)
        self._lock = threading.Lock()

    @property
    def ledger(self) -> Ledger:
        return self._ledger

    def channel(self) -> str | None:
        return reminder_channel(self._store, self._settings, self._default_channel)

    def start(self, *, catch_up: bool = True) -> None:
        """Before the first run: a store that never ran the scheduler posts nothing from its past.

        Without `catch_up` (the console's simulated clock) nothing from before now is posted.
        """
        with self._lock:
            now = self._clock()
            last = self._ledger.last_run()
            if last is None or not catch_up:
                self._ledger.set_last_run(now)
                log.info("reminders: starting from %s; nothing earlier is posted", now.isoformat())
            elif last < now:
                log.info("reminders: catching up on what fell due since %s", last.isoformat())
            self._ledger.prune({d.id for d in self._store.deadlines()})

    def run(self) -> Run:
        """Post everything due now that was not posted yet, then record the run."""
        with self._lock:
            now = self._clock()
            last = self._ledger.last_run() or now
            book = self._ledger.snapshot()
            store = self._store
            p = plan(
                store.deadlines(),
                store.events(),
                self._settings,
                book,
                last_run=last,
                now=now,
                dms=functools.cache(lambda code: recipients.dm_users(store, code)),
                digest_dms=lambda: recipients.digest_users(store, store.codes()),
            )
            if p.skip:
                self._ledger.skip(p.skip, reason="superseded or snoozed")
                log.info("reminders: skipped %s", ", ".join(i.key for i in p.skip))
            if p.stale:
                self._ledger.drop(p.stale)
            channel = self.channel()
            # A DM goes to its user's conversation; the channel's part only where one is set.
            posts = [(i, i.to or channel) for i in p.post]
            ready = [(i, where) for i, where in posts if where is not None and where]
            if len(ready) < len(posts):
                log.info(
                    "reminders: %d due but no reminder channel is set", len(posts) - len(ready)
                )
            out = _Outcome()
            try:
                self._deliver(ready, book, now, out)
            finally:
                # "sent" only after Slack's ok, all in one write: a crash before it leaves
                # them "sending", and the next run finds them in the channel, not posting twice.
                self._ledger.write(out.entries, now)
            self._ledger.set_last_run(now)
            times = [t for t in (p.next_at, *out.retries) if t is not None]
            return Run(
                now, tuple(out.posted), tuple(out.failed), p.skip, min(times) if times else None
            )

    def _deliver(
        self, items: list[tuple[Item, str]], book: Book, now: datetime, out: _Outcome
    ) -> None:
        ready: list[tuple[Item, Message, Entry]] = []
        for item, channel in items:
            before = book.entry(item.key)
            if before is not None and (before.state != "sending" or before.on != item.on):
                before = None
            try:
                message = self._message(item, now, item.late(now))
            except Exception:  # a bug in one message must not hold up the others, nor lose it
                log.exception("reminder %s: could not be written", item.key)
                out.retry(item, ledger.sending(item, channel, now, before), now, "not written")
                continue
            if before is not None and before.channel:
                # An earlier attempt may have reached Slack before a crash or a lost answer.
                try:
                    ts = self._outbox.find(before.channel, message, before.since)
                except DeliveryError as e:
                    out.retry(item, before, now, str(e))
                    continue
                if ts is not None:
                    out.sent(item, before, ts, now, found=True)
                    continue
            ready.append((item, message, ledger.sending(item, channel, now, before)))
        # Marked "sending" in one write before the first post.
        self._ledger.write([entry for _, _, entry in ready], now)
        for item, message, entry in ready:
            try:
                ts = self._outbox.post(entry.channel or "", message)
            except DeliveryError as e:
                out.retry(item, entry, now, f"not posted (attempt {entry.attempts}): {e}")
                continue
            out.sent(item, entry, ts, now)

    def _message(self, item: Item, now: datetime, late: bool) -> Message:
        today = now.astimezone(self._settings.tz).date()
        return self._compose(self._store, item, today, late)


class _Outcome:
    """What one run posted, found, or will retry; the ledger entries to record for it."""

    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self.failed: list[Item] = []
        self.retries: list[datetime] = []
        self.entries: list[Entry] = []

    def sent(self, item: Item, entry: Entry, ts: str, now: datetime, found: bool = False) -> None:
        self.entries.append(ledger.sent(entry, ts))
        late = item.late(now)
        self.posted.append(Posted(item, entry.channel or "", ts, late, found))
        how = "already in" if found else "posted to"
        log.info("reminder %s: %s %s (ts %s)%s", item.key, how, entry.channel, ts, " late" * late)

    def retry(self, item: Item, entry: Entry, now: datetime, why: str = "") -> None:
        again = ledger.retry(entry, now)
        assert again.next_try is not None
        self.entries.append(again)
        self.failed.append(item)
        self.retries.append(again.next_try)
        log.warning("reminder %s: %s; next try %s", item.key, why, again.next_try.isoformat())
