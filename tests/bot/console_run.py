"""Drive `bot.console.run_console` on a store and get what it printed: the console tests' helper."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.console import run_console
from bot.settings import Settings
from tests.bot.edit_store import NOW


def console(store, *lines: str, now: datetime = NOW, user: str = "U0EDITOR") -> list[str]:
    """Each line's reply as the console prints it, one string per line typed."""
    replies = []
    for line in lines:
        out = io.StringIO()
        run_console(
            store,
            lines=[line],
            out=out,
            clock=lambda: now,
            tz=ZoneInfo("Europe/Zurich"),
            settings=Settings(),
            user=user,
        )
        replies.append(out.getvalue())
    return replies
