"""Pick the store: TinyDB at BRS_DB (the default), PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from store.events import DEFAULT_EVENTS

if TYPE_CHECKING:  # psycopg loads only when DATABASE_URL is set
    from store.postgres.repository import PgStore
    from store.repository import Store

# Two processes starting on one new database: one imports the bundled report, the other waits.
BOOTSTRAP_LOCK = 0x62727362  # "brsb"


def open_any(
    db_path: Path,
    database_url: str | None,
    *,
    clock: Callable[[], datetime],
    readonly: bool = False,
    checkpoint_every: int = 1,
) -> Store:
    """The store every command uses; a new or empty one gets the bundled report and events.

    bot/ and jobs/ are typed against store.repository.Store; PgStore has the same public
    methods (tests/store/backends runs one suite on both), so it is handed out as one.
    """
    if not database_url:
        from store.bootstrap import open_store

        return open_store(
            db_path, clock=clock, readonly=readonly, checkpoint_every=checkpoint_every
        )
    from store.postgres.repository import PgStore

    store = PgStore.open(database_url, clock=clock)
    try:
        bootstrap(store)
    except BaseException:
        store.close()
        raise
    store.readonly = readonly
    return cast("Store", store)


def bootstrap(store: PgStore) -> None:
    """First use of a database: the bundled report and the default events, exactly once."""
    with store.exclusive(BOOTSTRAP_LOCK):
        if store.is_empty():
            from store.report.reader import bundled_report_path, read_report

            store.import_report(read_report(bundled_report_path()))
        store.set_default_events(DEFAULT_EVENTS)
