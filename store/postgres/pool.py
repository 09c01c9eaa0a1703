"""The store's connection pool (psycopg_pool), and its errors as one line without the URL."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from store.postgres.connect import CONNECT_TIMEOUT, reason
from store.storage import StoreError

# Bolt's listener threads, the scheduler and the LISTEN catch-up share it; commits queue on
# the version row anyway, so more connections would only wait there.
POOL_MAX = 8
OPEN_TIMEOUT = CONNECT_TIMEOUT * 2


def make_pool(url: str) -> ConnectionPool:
    """Not opened yet; check_connection replaces connections a restarted server dropped."""
    return ConnectionPool(
        url,
        min_size=1,
        max_size=POOL_MAX,
        kwargs={"connect_timeout": CONNECT_TIMEOUT},
        check=ConnectionPool.check_connection,
        open=False,
        name="brs",
    )


class Guarded:
    """A pooled connection whose database errors become StoreError (the URL never shown)."""

    def __init__(self, pool: ConnectionPool, url: str, where: str) -> None:
        self._pool = pool
        self._url = url
        self._where = where
        self._cm: Any = None

    def __enter__(self) -> psycopg.Connection:
        self._cm = self._pool.connection(timeout=OPEN_TIMEOUT)
        try:
            return self._cm.__enter__()
        except Exception as exc:
            raise StoreError(
                f"DATABASE_URL: the database {self._where} cannot be reached "
                f"({reason(exc, self._url)}); nothing was changed."
            ) from None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._cm.__exit__(exc_type, exc, tb)
        if isinstance(exc, psycopg.Error):
            raise StoreError(
                f"The database {self._where} failed ({reason(exc, self._url)}); "
                "nothing was changed."
            ) from None
