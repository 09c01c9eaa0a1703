"""Slack requests already applied, kept in the same history batch as what they changed.

A signed slash command that writes carries Slack's timestamp and signature. The first commit
made while answering it adds a `request:<key>` record to its batch, so the key is as durable
as the change (one fsync for both) and an exact replay, even after a restart, finds it and
changes nothing. Slack refuses requests older than five minutes, so keys older than KEEP are
dropped in later batches: the table stays small.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from store.documents import ChangeItem
from store.storage import StoreError

KEEP_SECONDS = 15 * 60  # three times Slack's window for a request's timestamp
MAX_KEY = 200


class Replayed(StoreError):
    """This exact request was applied before; nothing was changed again."""


class Requests:
    """The request being answered on this thread (a listener sets it around its answer)."""

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def answering(self, key: str | None) -> Iterator[None]:
        """While inside, this thread's first commit records `key` (None: nothing to record)."""
        self._local.key = key[:MAX_KEY] if key else None
        try:
            yield
        finally:
            self._local.key = None

    def recorded(self) -> None:
        """The commit carrying the key landed: later commits of the same answer do not."""
        self._local.key = None

    def items(self, known: Mapping[str, Any], clock: Callable[[], datetime]) -> list[ChangeItem]:
        """What this thread's next commit adds: its request key, and old keys dropped.

        Raises Replayed when the key was recorded already.
        """
        key = getattr(self._local, "key", None)
        if key is None:
            return []
        if key in known:
            raise Replayed("This exact request was already handled; nothing was done again.")
        stamp = int(clock().timestamp())  # the clock is read only for a request's commit
        expired = [
            (f"request:{old}", "", at, None)
            for old, at in known.items()
            if isinstance(at, int) and stamp - at > KEEP_SECONDS
        ]
        return [(f"request:{key}", "", None, stamp), *expired]
