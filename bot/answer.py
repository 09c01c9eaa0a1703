"""One entry point for Slack and the console: command text in, Reply out."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from datetime import date
from typing import TYPE_CHECKING

from bot.grammar import CommandError, parse
from bot.grammar.calendar import CalendarRequest
from bot.grammar.deadlines import CHANGES
from bot.grammar.edits import EDITS
from bot.grammar.files import FileRequest
from bot.grammar.owners import Owners
from bot.queries import Store, run
from bot.render import Reply, error_reply, render
from bot.render.files import console_reply

if TYPE_CHECKING:
    from bot.changes.deadlines import Asker

NO_ASKER = "Changes need to know who asks: use /brs in Slack, or brs console."

# Read-only answers depend only on the command, the day and the store's contents, so
# they are kept per store version: a busy channel asking for the same card costs a
# dictionary lookup instead of a render. Replies are never mutated by their users.
_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHE_SIZE = 256
_cache_lock = threading.Lock()


def _cached_render(store: Store, command: object, today: date) -> Reply:
    version = getattr(store, "version", None)
    if version is None:
        return render(run(store, command, today=today))  # type: ignore[arg-type]
    key = (version, today, command)
    with _cache_lock:
        cache = _CACHES.setdefault(store, OrderedDict())
        reply = cache.get(key)
        if reply is not None:
            cache.move_to_end(key)
            return reply
    reply = render(run(store, command, today=today))  # type: ignore[arg-type]
    with _cache_lock:
        cache[key] = reply
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return reply


def answer(store: Store, text: str, *, today: date, asker: Asker | None = None) -> Reply:
    """Parse, query and render one `/brs` command; bad input gets an error Reply, never raises.

    Changes (deadline, event, remind) need `asker`: who typed it, where, when.
    """
    try:
        command = parse(text, slack=asker is not None and not asker.console)
    except CommandError as e:
        return error_reply(str(e))
    if isinstance(command, FileRequest):  # Slack uploads the file (bot.slack.listeners.files)
        return console_reply(command)
    if isinstance(command, CHANGES):
        if asker is None:
            return error_reply(NO_ASKER)
        from bot.changes import (
            deadlines as deadline_changes,  # here: read-only answers stay light to import
        )

        return deadline_changes.apply(store, command, asker)  # type: ignore[arg-type]
    if isinstance(command, Owners):
        if asker is None:
            return error_reply(NO_ASKER)
        from bot.changes import deadlines as deadline_changes
        from bot.changes import owners

        return owners.apply(store, command, asker, refusal=deadline_changes.refusal)
    if isinstance(command, CalendarRequest):  # the secret address: editors only
        if asker is None:
            return error_reply(NO_ASKER)
        from bot.changes import calendar

        return calendar.apply(store, asker)
    if isinstance(command, EDITS):  # update, set, edit, undo
        if asker is None:
            return error_reply(NO_ASKER)
        from bot.changes import edits as edit_changes

        return edit_changes.apply(store, command, asker)  # type: ignore[arg-type]
    return _cached_render(store, command, today)
