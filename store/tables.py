"""Checkpoint writes to the TinyDB file: every touched table rebuilt once, in one file write."""

# TinyDB's own update() reads, converts and writes back its whole table for each document,
# so a checkpoint of n documents cost n table passes; here it is one pass per table.

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from store.documents import TABLES, Key, to_row
from store.storage import AtomicJSONStorage


def write_checkpoint(
    storage: AtomicJSONStorage,
    docs: Mapping[Key, Any],
    meta_id: int,
    meta: Mapping[str, Any],
    drop: Iterable[str] = (),
) -> None:
    """Write documents (None: remove), the meta document, and drop whole tables, atomically."""
    data = storage.read() or {}
    by_table: dict[str, list[tuple[str, Any]]] = {}
    for (kind, name), value in docs.items():
        by_table.setdefault(kind, []).append((name, value))
    for kind, changes in by_table.items():
        table_name, key = TABLES[kind]
        if kind == "report":  # one document: the newest value replaces the table
            value = changes[-1][1]
            data[table_name] = {} if value is None else {"1": value}
            continue
        table = data.setdefault(table_name, {})
        ids = {str(row.get(key)): doc_id for doc_id, row in table.items()}
        next_id = max((int(i) for i in table), default=0) + 1
        for name, value in changes:
            doc_id = ids.get(name)
            if value is None:
                if doc_id is not None:
                    del table[doc_id]
                    del ids[name]
                continue
            if doc_id is None:
                doc_id = ids[name] = str(next_id)
                next_id += 1
            table[doc_id] = to_row(kind, key, name, value)
    data.setdefault("meta", {})[str(meta_id)] = dict(meta)
    for name in drop:
        data.pop(name, None)
    storage.write(data)
