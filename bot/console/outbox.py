"""`brs console`: each reminder printed as text after a blank line, like a reply."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.render.reminders import fmt_instant
from bot.render.text import blocks_to_text
from jobs.outbox import Message


class ConsoleOutbox:
    def __init__(self, out: TextIO, clock: Callable[[], datetime], tz: ZoneInfo) -> None:
        self._out = out
        self._clock = clock
        self._tz = tz
        self._ts = itertools.count(1)

    def post(self, channel: str, message: Message) -> str:
        when = fmt_instant(self._clock().astimezone(self._tz))
        where = "" if channel == "console" else f" in {channel}"
        text = blocks_to_text(message.blocks).rstrip("\n")
        self._out.write(f"\n[posted {when}{where}]\n{text}\n")
        self._out.flush()
        return f"console.{next(self._ts):06d}"

    def find(self, channel: str, message: Message, since: datetime | None) -> str | None:
        return None  # what the console printed cannot be lost
