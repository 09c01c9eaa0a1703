"""`brs console --now`: reminders and digests print as `/brs tick` moves the simulated clock.

The same Reminders.run() the scheduler calls, at each instant something falls due up to the
new time: no APScheduler, no real waiting.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TextIO

from bot.compose import compose
from bot.console.outbox import ConsoleOutbox
from bot.render.reminders import fmt_instant
from jobs.clock import SimClock
from jobs.reminders import Reminders, ReminderSettings, ReminderStore

CONSOLE_CHANNEL = "console"
TICK_FORM = "/brs tick 2d (or 3h, 30m, 1w, or a time such as 2012-08-31T09:00)"
_STEP = re.compile(r"(\d{1,5})\s*([wdhm])", re.I)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
MAX_STEPS = 100_000  # a guard: a year of daily reminders for every deadline is far less


class TickError(ValueError):
    """A tick that cannot be done; the message is one line with the right form."""


def is_tick(line: str) -> bool:
    words = line.split()
    if words and words[0].lower() == "/brs":
        words = words[1:]
    return bool(words) and words[0].lower() == "tick"


class ConsoleReminders:
    """Posts print to `out`; nothing from before the simulated start is posted."""

    def __init__(
        self, store: ReminderStore, settings: ReminderSettings, clock: SimClock, out: TextIO
    ) -> None:
        self._clock = clock
        self._settings = settings
        outbox = ConsoleOutbox(out, clock, settings.tz)
        self._reminders = Reminders(
            store, settings, outbox, clock, compose=compose, default_channel=CONSOLE_CHANNEL
        )
        self._reminders.start(catch_up=False)

    def catch_up(self) -> int:
        """After any command: post what is due now (as the scheduler does on a change)."""
        return len(self._reminders.run().posted)

    def tick(self, line: str) -> str:
        """Move the clock as `/brs tick ...` says, posting everything due on the way."""
        target = self._target(line)
        posted = 0
        run = self._reminders.run()
        posted += len(run.posted)
        for _ in range(MAX_STEPS):
            if run.next_at is None or run.next_at > target:
                break
            self._clock.set(run.next_at)
            run = self._reminders.run()
            posted += len(run.posted)
        self._clock.set(target)
        posted += len(self._reminders.run().posted)
        when = fmt_instant(self._clock().astimezone(self._settings.tz))
        what = f"{posted} posted" if posted else "nothing fell due"
        return f"Clock: {when} ({what})."

    def _target(self, line: str) -> datetime:
        words = line.split()
        if words and words[0].lower() == "/brs":
            words = words[1:]
        arg = " ".join(words[1:]).strip()
        now = self._clock()
        if not arg:
            nxt = self._reminders.run().next_at
            if nxt is None:
                raise TickError("Nothing is due later; give a time, like: " + TICK_FORM)
            return nxt
        steps = _STEP.findall(arg)
        if steps and _STEP.sub("", arg).strip() == "":
            delta = sum((timedelta(**{_UNITS[u.lower()]: int(n)}) for n, u in steps), timedelta())
            return now + delta
        try:
            target = datetime.fromisoformat(arg)
        except ValueError:
            raise TickError(f'Cannot read "{arg}"; like: {TICK_FORM}') from None
        if target.tzinfo is None:
            target = target.replace(tzinfo=self._settings.tz)
        if target < now:
            when = fmt_instant(now.astimezone(self._settings.tz))
            raise TickError(f"The clock only moves forward; it is {when}.")
        return target
