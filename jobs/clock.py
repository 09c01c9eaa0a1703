"""The simulated clock that `brs console --now` and the tests move forward by hand."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class SimClock:
    """Stands still until set or advanced; never goes back (reminders already posted stay so)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a simulated clock needs an aware start time")
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        return self._now

    def set(self, at: datetime) -> None:
        with self._lock:
            if at < self._now:
                raise ValueError(f"the clock only moves forward; it is {self._now.isoformat()}")
            self._now = at

    def advance(self, delta: timedelta) -> datetime:
        self.set(self._now + delta)
        return self._now
