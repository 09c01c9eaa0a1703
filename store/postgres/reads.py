"""The PostgreSQL store's reads that go to the database each time: history, meta, the ledger."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from store.history import Change
from store.postgres import tables
from store.postgres.schema import SCHEMA_VERSION

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
        """One target's records ("event:COP-2013"), or an activity's and its deadlines'."""
        if ":" in code_or_target or code_or_target == "report":
            with self._lock:
                target = self._fresh().canonical_target(code_or_target)
            with self._db() as conn:
                return tables.of_target(conn, target)
        with self._db() as conn:
            return tables.in_group(conn, code_or_target.strip().casefold(), newest)

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

    def reminder_entries(self) -> Mapping[str, dict[str, Any]]:
        """The ledger's entries by key; read-only (entries are replaced, never changed)."""
        with self._db() as conn:
            return MappingProxyType(tables.reminders(conn))
