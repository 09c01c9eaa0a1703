"""`brs console`: the bot offline, reading `/brs ...` lines and printing each reply as text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.answer import Answers
from bot.changes.editors import Asker
from bot.console.reminders import ConsoleReminders, TickError, is_tick
from bot.render.text import blocks_to_text
from bot.settings import Settings

NO_TICK = "/brs tick moves a simulated clock: start brs console with --now 2012-08-20T09:00"


def run_console(
    store,
    *,
    lines: TextIO,
    out: TextIO,
    clock: Callable[[], datetime],
    tz: ZoneInfo,
    prompt: str = "",
    reminders: ConsoleReminders | None = None,
    settings: Settings | None = None,
    user: str = "console",
) -> None:
    """Answer each input line until end of input; a blank line comes before every reply.

    With `reminders` (a simulated clock), `/brs tick ...` moves the clock and reminders
    print as they fall due.
    """
    answers = Answers(store)
    while True:
        if prompt:
            out.write(prompt)
            out.flush()
        line = lines.readline()
        if not line:
            if prompt:
                out.write("\n")
            return
        if not line.strip():
            continue
        if is_tick(line):
            out.write("\n" + _tick(reminders, line) + "\n")
            out.flush()
            continue
        now = clock()
        asker = Asker(user, settings, now, console=True) if settings else None
        reply = answers.answer(line.strip(), today=now.astimezone(tz).date(), asker=asker)
        out.write("\n" + blocks_to_text(reply.blocks).rstrip("\n") + "\n")
        out.flush()
        if reminders is not None:
            reminders.catch_up()  # a change may have made something due now, as in Slack


def _tick(reminders: ConsoleReminders | None, line: str) -> str:
    if reminders is None:
        return NO_TICK
    try:
        return reminders.tick(line)
    except TickError as e:
        return str(e)
