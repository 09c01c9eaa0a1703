"""`brs console`: the bot offline, reading `/brs ...` lines and printing each reply as text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.blocks_text import blocks_to_text
from bot.core import answer


def run_console(
    store,
    *,
    lines: TextIO,
    out: TextIO,
    clock: Callable[[], datetime],
    tz: ZoneInfo,
    prompt: str = "",
) -> None:
    """Answer each input line until end of input; a blank line comes before every reply."""
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
        reply = answer(store, line.strip(), today=clock().astimezone(tz).date())
        out.write("\n" + blocks_to_text(reply.blocks).rstrip("\n") + "\n")
        out.flush()
