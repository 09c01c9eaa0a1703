"""One entry point for Slack and the console: command text in, Reply out."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.commands import CommandError, parse
from bot.deadline_commands import CHANGES
from bot.edit_commands import EDITS
from bot.queries import Store, run
from bot.uploads import FileRequest, console_reply
from bot.views import Reply, error_reply, render

if TYPE_CHECKING:
    from bot.deadline_changes import Asker

NO_ASKER = "Changes need to know who asks: use /brs in Slack, or brs console."


def answer(store: Store, text: str, *, today: date, asker: Asker | None = None) -> Reply:
    """Parse, query and render one `/brs` command; bad input gets an error Reply, never raises.

    Changes (deadline, event, remind) need `asker`: who typed it, where, when.
    """
    try:
        command = parse(text)
    except CommandError as e:
        return error_reply(str(e))
    if isinstance(command, FileRequest):  # Slack uploads the file (bot.listeners.files)
        return console_reply(command)
    if isinstance(command, CHANGES):
        if asker is None:
            return error_reply(NO_ASKER)
        from bot import deadline_changes  # here: read-only answers stay light to import

        return deadline_changes.apply(store, command, asker)  # type: ignore[arg-type]
    if isinstance(command, EDITS):  # update, set, edit, undo
        if asker is None:
            return error_reply(NO_ASKER)
        from bot import edit_changes

        return edit_changes.apply(store, command, asker)  # type: ignore[arg-type]
    return render(run(store, command, today=today))
