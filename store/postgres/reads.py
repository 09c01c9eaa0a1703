"""The PostgreSQL store's reads that go to the database each time: history, meta, the ledger."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from store.documents import split_target
from store.history import Change
from store.postgres import tables
from store.postgres.schema import SCHEMA_VERSION
from store.records import SET, resolve

if TYPE_CHECKING:
    from store.postgres.cache import View


class Reads:
    """Mixed into PgStore. Histories grow without bound: they stay in the database, never
    in the process's copy."""

    _lock: threading.RLock

    if TYPE_CHECKING:

        def _db(self) -> Any: ...
        def _fresh(self) -> View: ...
        @property
        def version(self) -> int: ...

    def history(self, code_or_target: str, *, newest: int | None = None) -> list[Change]:
        """One target's records ("event:COP-2013"), or an activity's and its deadlines'.

        Oldest first; with `newest`, only that many of the latest (an activity's).
        """
        target = None
        if ":" in code_or_target or code_or_target == "report":
            with self._lock:
                target = self._fresh().canonical_target(code_or_target)
        with self._db() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            if target is not None:
                found = tables.of_target(conn, target)
            else:
                found = tables.in_group(conn, code_or_target.strip().casefold(), newest)
            return resolved(conn, found)

    def history_count(self, code: str) -> int:
        with self._db() as conn:
            return tables.count_in_group(conn, code.strip().casefold())

    def get_meta(self, key: str, default: Any = None) -> Any:
        if key == "schema_version":
            return SCHEMA_VERSION
        if key == "applied_seq":
            return self.version
        with self._db() as conn:
            found, value = tables.get_meta(conn, key)
        return value if found else default

    def snoozes(self) -> dict[str, date]:
        """Deadline id -> the first day it may be reminded of again."""
        view = self._fresh()
        with self._lock:
            return dict(view.objs["snooze"])

    def reminder_entries(self) -> Mapping[str, dict[str, Any]]:
        """The ledger's entries by key; read-only (entries are replaced, never changed)."""
        with self._db() as conn:
            return MappingProxyType(tables.reminders(conn))


def resolved(conn: Any, found: list[Change]) -> list[Change]:
    """Records with their deltas (appends, trims) resolved to whole values, from the documents
    as they are in `conn`'s transaction (which must see the same version as `found`)."""
    oldest: dict[str, int] = {}
    for r in found:
        if r.op != SET:
            oldest[r.target] = min(oldest.get(r.target, r.seq), r.seq)
    if not oldest:
        return found
    docs = tables.documents(conn, [split_target(t) for t in oldest])
    whole: dict[int, Change] = {}
    for target, seq in oldest.items():
        newest_first = list(reversed(tables.of_target(conn, target, seq)))
        whole.update(resolve(docs[split_target(target)], newest_first))
    return [whole.get(r.seq, r) for r in found]
