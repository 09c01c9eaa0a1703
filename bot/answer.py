"""One entry point for Slack and the console: command text in, Reply out."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.changes import deadlines, edits, owners
from bot.changes.editors import Asker
from bot.grammar import CommandError, parse
from bot.grammar.calendar import CalendarRequest
from bot.grammar.deadlines import CHANGES
from bot.grammar.edits import EDITS
from bot.grammar.files import FileRequest
from bot.grammar.owners import Owners
from bot.queries import run
from bot.render.blocks import Reply, error_reply
from bot.render.files import console_reply
from bot.render.results import render

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


NO_ASKER = "Changes need to know who asks: use /brs in Slack, or brs console."


class Answers:
    """Answers `/brs` commands from one store, reusing read-only answers while nothing changed.

    Read-only answers depend only on the command, the day and the store's contents, so they
    are kept per store version: a busy channel asking for the same card costs a dictionary
    lookup instead of a render. Replies are never mutated by their users.
    """

    def __init__(self, store: Store, *, cache_size: int = 256) -> None:
        self.store = store
        self._size = cache_size
        self._cache: OrderedDict[tuple[Any, date, object], Reply] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, text: str, *, today: date, asker: Asker | None = None) -> Reply:
        """Parse, query and render one `/brs` command; bad input gets an error Reply, never raises.

        Changes (update, set, edit, undo, deadline, event, remind) need `asker`: who, where, when.
        """
        try:
            command = parse(text, today=today, slack=asker is not None and not asker.console)
        except CommandError as e:
            return error_reply(str(e))
        if isinstance(
            command, FileRequest
        ):  # Slack uploads it after the ack (bot.slack.listeners.commands)
            return console_reply(command)
        if isinstance(command, (*CHANGES, *EDITS)):
            if asker is None:
                return error_reply(NO_ASKER)
            # The store is the whole repository; each layer names only the part it uses.
            if isinstance(command, CHANGES):  # deadline, event, remind
                return render(deadlines.apply(self.store, command, asker))
            return render(edits.apply(self.store, command, asker))
        if isinstance(command, Owners):  # anyone sees them; editors name them
            if asker is None:
                return error_reply(NO_ASKER)
            return render(owners.apply(self.store, command, asker))
        if isinstance(command, CalendarRequest):  # the secret address: editors only
            if asker is None:
                return error_reply(NO_ASKER)
            from bot.changes import calendar  # here: its feed module loads the store's storage

            return render(calendar.apply(self.store, asker))
        return self._read(command, today)

    def _read(self, command: object, today: date) -> Reply:
        version = getattr(self.store, "version", None)
        if version is None:  # a store that cannot say when it changed: never cached
            return render(run(self.store, command, today=today))  # type: ignore[arg-type]
        key = (version, today, command)
        with self._lock:
            reply = self._cache.get(key)
            if reply is not None:
                self._cache.move_to_end(key)
                return reply
        reply = render(run(self.store, command, today=today))  # type: ignore[arg-type]
        with self._lock:
            self._cache[key] = reply
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return reply
