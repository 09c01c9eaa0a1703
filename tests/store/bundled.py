"""The bundled report in a real store on a temporary path, for the export tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from store.bootstrap import open_store
from store.repository import Store

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)
TODAY = date(2012, 8, 20)


@contextmanager
def bundled_store(folder: Path) -> Iterator[Store]:
    """A writable store holding the bundled 2012 report and the default events."""
    with open_store(folder / "brs.json", clock=lambda: NOW) as store:
        yield store
