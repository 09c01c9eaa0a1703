"""Both backends offer the same public methods: a method added to one fails here until the
other has it too (the contract suite then says whether it behaves the same)."""

from __future__ import annotations

import inspect

from store.postgres.repository import PgStore
from store.repository import Store

# PostgreSQL only: processes coordinating through the database.
SHARED_ONLY = {"exclusive", "scheduler_lock"}


def _public(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def test_the_two_stores_have_the_same_public_methods():
    assert _public(Store) - _public(PgStore) == set()
    assert _public(PgStore) - _public(Store) == SHARED_ONLY


def test_the_methods_take_the_same_parameters():
    for name in _public(Store) - {"open", "version"}:
        ours = inspect.signature(getattr(PgStore, name)).parameters
        theirs = inspect.signature(getattr(Store, name)).parameters
        assert list(ours) == list(theirs), name
