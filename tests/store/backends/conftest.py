"""The store contract's fixtures: every test here runs on TinyDB and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from store.repository import Store
from tests.store.backends.server import pg_server_fixture, pg_url_fixture  # noqa: F401
from tests.store.factories import sample_report

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)

Opener = Callable[..., Any]


def clock() -> datetime:
    return NOW


@pytest.fixture(params=["tiny", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def open_store(backend: str, request: pytest.FixtureRequest, tmp_path) -> Iterator[Opener]:
    """Opens the test's one store (again): a TinyDB file, or a PostgreSQL schema."""
    opened: list[Any] = []
    if backend == "tiny":
        path = tmp_path / "data" / "brs.json"

        def opener(**kw: Any) -> Any:
            opened.append(Store.open(path, **{"clock": clock, **kw}))
            return opened[-1]

    else:
        from store.postgres.repository import PgStore

        url = request.getfixturevalue("pg_url")

        def opener(**kw: Any) -> Any:
            kw.pop("checkpoint_every", None)
            opened.append(PgStore.open(url, **{"clock": clock, **kw}))
            return opened[-1]

    yield opener
    for s in opened:
        s.close()


@pytest.fixture
def store(open_store: Opener) -> Iterator[Any]:
    with open_store() as s:
        s.import_report(sample_report())
        yield s
