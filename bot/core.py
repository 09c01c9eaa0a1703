"""One entry point for Slack and the console: command text in, Reply out."""

from __future__ import annotations

from datetime import date

from bot.commands import CommandError, parse
from bot.queries import Store, run
from bot.views import Reply, error_reply, render


def answer(store: Store, text: str, *, today: date) -> Reply:
    """Parse, query and render one `/brs` command; bad input gets an error Reply, never raises."""
    try:
        command = parse(text)
    except CommandError as e:
        return error_reply(str(e))
    return render(run(store, command, today=today))
