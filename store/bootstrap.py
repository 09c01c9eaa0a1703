"""Open the store the way every command does: first run imports the bundled report."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from store.events import DEFAULT_EVENTS
from store.history import history_path
from store.index import snapshot_path
from store.ledgerfile import ledger_path
from store.repository import Store


def open_store(
    path: Path,
    *,
    clock: Callable[[], datetime],
    readonly: bool = False,
    checkpoint_every: int = 1,
) -> Store:
    """Open `path`; a new or empty store gets the bundled report and the default events.

    A read-only open of a store that does not exist yet opens it for writing
    once, since there is nothing consistent to read until the import is done.
    """
    if readonly and path.exists():
        return Store.open(path, readonly=True, clock=clock)
    store = Store.open(path, clock=clock, checkpoint_every=checkpoint_every)
    try:
        if store.is_empty():
            from store.report.reader import bundled_report_path, read_report

            store.import_report(read_report(bundled_report_path()))
        store.set_default_events(DEFAULT_EVENTS)
    except BaseException:
        store.close()
        raise
    return store


def scratch_copy(path: Path, into: Path) -> Path:
    """Copy a store (its history, index and ledger too) into `into`, so simulated time never
    touches the real one."""
    into.mkdir(parents=True, exist_ok=True)
    target = into / path.name
    for source in (path, history_path(path), snapshot_path(history_path(path)), ledger_path(path)):
        if source.exists():
            shutil.copy2(source, into / source.name)
    return target
