"""`brs console`: the bot offline, reading `/brs ...` lines and printing each reply as text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.answer import Answers
from bot.changes.editors import Asker
from bot.console.reminders import ConsoleReminders, TickError, is_tick
from bot.render.text import blocks_to_text
from bot.settings import Settings

NO_TICK = "/brs tick moves a simulated clock: start brs console with --now 2012-08-20T09:00"


EXIT_WORDS = frozenset({"exit", "quit", "/brs exit", "/brs quit", ":q"})


def run_console(
    store,
    *,
    lines: Iterable[str],
    out: TextIO,
    clock: Callable[[], datetime],
    tz: ZoneInfo,
    reminders: ConsoleReminders | None = None,
    settings: Settings | None = None,
    user: str = "console",
) -> None:
    """Answer each input line until end of input or `exit`; a blank line comes before each reply.

    With `reminders` (a simulated clock), `/brs tick ...` moves the clock and reminders
    print as they fall due.
    """
    answers = Answers(store)
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.lower() in EXIT_WORDS:
            return
        if is_tick(line):
            out.write("\n" + _tick(reminders, line) + "\n")
            out.flush()
            continue
        now = clock()
        asker = Asker(user, settings, now, console=True) if settings else None
        reply = answers.answer(line, today=now.astimezone(tz).date(), asker=asker)
        out.write("\n" + blocks_to_text(reply.blocks).rstrip("\n") + "\n")
        out.flush()
        if reminders is not None:
            reminders.catch_up()  # a change may have made something due now, as in Slack


def banner(path: str, activities: int, user: str, *, editor: bool, simulated: str | None) -> str:
    """What an interactive console says first: which store, who you are, how to leave."""
    who = f"you are {user}" + (" (an editor)" if editor else " (read-only: not in BRS_EDITORS)")
    clock = f" · simulated clock from {simulated}" if simulated else ""
    return (
        f"brs console · store {path} ({activities} activities) · {who}{clock}\n"
        "Type /brs help (or just help), a code such as S17, or a question; exit or Ctrl-D leaves."
    )


def _tick(reminders: ConsoleReminders | None, line: str) -> str:
    if reminders is None:
        return NO_TICK
    try:
        return reminders.tick(line)
    except TickError as e:
        return str(e)
