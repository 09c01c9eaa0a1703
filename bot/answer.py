"""One entry point for Slack and the console: command text in, Reply out."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.changes import deadlines, edits, owners
from bot.changes import outcomes as o
from bot.changes.editors import Asker
from bot.grammar import CommandError, parse
from bot.grammar.calendar import CalendarRequest
from bot.grammar.deadlines import CHANGES
from bot.grammar.edits import EDITS
from bot.grammar.files import FileRequest
from bot.grammar.owners import Owners
from bot.grammar.words import without_prefix
from bot.queries import NotFound, run
from bot.render.blocks import Reply, error_reply
from bot.render.files import console_reply
from bot.render.results import render

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


NO_ASKER = "Changes need to know who asks: use /brs in Slack, or brs console."
log = logging.getLogger("brs.commands")
# Outcomes that changed nothing: bad input, not an editor, or nothing to do.
REFUSALS = (
    o.Problem,
    o.Refused,
    o.PastDate,
    o.AlreadyDone,
    o.NothingToUndo,
    o.NothingToRedo,
    o.TooBusy,
    o.AlreadyOwners,
    o.NotOwners,
    o.CalendarSecret,
)


class Answers:
    """Answers `/brs` commands from one store, reusing read-only answers while nothing changed.

    Read-only answers depend only on the command, the day and the store's contents, so they
    are kept per store version: a busy channel asking for the same card costs a dictionary
    lookup instead of a render. Replies are never mutated by their users.
    """

    def __init__(self, store: Store, *, cache_size: int = 256) -> None:
        self.store = store
        self._size = cache_size
        self._cache: OrderedDict[tuple[Any, date, object], tuple[Reply, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, text: str, *, today: date, asker: Asker | None = None) -> Reply:
        """Parse, query and render one `/brs` command; bad input gets an error Reply, never raises.

        Changes (update, set, edit, undo, deadline, event, remind) need `asker`: who, where, when.
        One log line per command ("brs.commands"): who, the command word, outcome, milliseconds.
        """
        started = time.perf_counter()
        said = ["error"]
        try:
            return self._answer(text, today, asker, said)
        finally:
            ms = (time.perf_counter() - started) * 1000
            verb = (without_prefix(text) or ["help"])[0].lower()[:20]
            who = asker.user if asker else "-"
            log.info("user=%s command=%s outcome=%s ms=%.0f", who, verb, said[0], ms)

    def _answer(self, text: str, today: date, asker: Asker | None, said: list[str]) -> Reply:
        try:
            command = parse(text, today=today, slack=asker is not None and not asker.console)
        except CommandError as e:
            said[0] = "refused"
            return error_reply(str(e))
        if isinstance(
            command, FileRequest
        ):  # Slack uploads it after the ack (bot.slack.listeners.commands)
            said[0] = "answered"
            return console_reply(command)
        if isinstance(command, (*CHANGES, *EDITS)):
            if asker is None:
                said[0] = "refused"
                return error_reply(NO_ASKER)
            # The store is the whole repository; each layer names only the part it uses.
            if isinstance(command, CHANGES):  # deadline, event, remind
                outcome = deadlines.apply(self.store, command, asker)
            else:
                outcome = edits.apply(self.store, command, asker)
            said[0] = _outcome_word(outcome)
            return render(outcome)
        if isinstance(command, Owners | CalendarRequest):  # anyone asks; editors change
            if asker is None:
                said[0] = "refused"
                return error_reply(NO_ASKER)
            if isinstance(command, Owners):
                outcome = owners.apply(self.store, command, asker)
            else:
                from bot.changes import calendar  # here: its feed module loads store storage

                outcome = calendar.apply(self.store, asker)
            said[0] = _outcome_word(outcome)
            return render(outcome)
        reply, found = self._read(command, today)
        said[0] = "answered" if found else "refused"
        return reply

    def _read(self, command: object, today: date) -> tuple[Reply, bool]:
        """The reply, and whether it found what was asked (an unknown code is a refusal)."""
        version = getattr(self.store, "version", None)
        if version is None:  # a store that cannot say when it changed: never cached
            return self._render(command, today)
        key = (version, today, command)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        answer = self._render(command, today)
        with self._lock:
            self._cache[key] = answer
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return answer

    def _render(self, command: object, today: date) -> tuple[Reply, bool]:
        result = run(self.store, command, today=today)  # type: ignore[arg-type]
        return render(result), not isinstance(result, NotFound)


def _outcome_word(outcome: object) -> str:
    """answered (a change command that only reads), changed, or refused (nothing changed)."""
    if isinstance(outcome, REFUSALS):
        return "refused"
    if isinstance(outcome, o.OpenForm | o.OwnersShown | o.CalendarAddress | o.NoCalendarFeed):
        return "answered"
    if isinstance(outcome, o.Reminders | o.FundingSet) and not outcome.changed:
        return "answered"
    return "changed"
