"""`brs migrate --to URL`: copy a TinyDB store (history, documents, ledger, meta) into an empty
PostgreSQL database in one transaction, then check the copy against the original.

History records are copied as stored (append and trim records stay deltas: the schema's op
column); a schema 1 store is converted first, by opening it for writing once."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from psycopg.types.json import Json

from store.documents import TABLES, Key, Work, group_of, split_target
from store.history import Change, History, history_path
from store.ledgerfile import LedgerFile, ledger_path
from store.postgres import tables
from store.postgres.connect import connect, label
from store.postgres.repository import PgStore
from store.postgres.schema import upgrade
from store.records import applied
from store.repository import RESERVED_META, Store
from store.state import SCHEMA_VERSION
from store.storage import StoreError


@dataclass(frozen=True)
class Copied:
    records: int
    documents: int
    reminders: int
    meta: int
    into: str


def migrate(path: Path, url: str, *, clock: Callable[[], datetime]) -> Copied:
    """Copy the store at `path` into the empty database at `url`; StoreError if anything
    differs afterwards (then the transaction was already committed: say so, never hide it)."""
    if not path.exists():
        raise StoreError(f"There is no store at {path} to copy; set BRS_DB to its file.")
    if _schema(path) < SCHEMA_VERSION:
        Store.open(path, clock=clock).close()  # the upgrade to schema 2 (store/upgrade.py)
    with Store.open(path, readonly=True, clock=clock) as source:
        history = History(history_path(path), readonly=True, group=group_of)
        try:
            records = list(history.changes())
        finally:
            history.close()
        docs = _replay(records)
        reminders = {k: _without_key(v) for k, v in source.reminder_entries().items()}
        meta = _meta(path)
        _write(url, records, docs, reminders, meta)
        _verify(source, url, clock, len(records), len(docs), len(reminders), meta)
    return Copied(len(records), len(docs), len(reminders), len(meta), label(url))


def _replay(records: list[Change]) -> dict[Key, tuple[Any, int]]:
    """The documents the history leaves (what TinyDB holds, write-ahead), with the seq of
    the record that last wrote each."""
    work = Work({kind: {} for kind in TABLES})
    last: dict[Key, int] = {}
    for change in records:
        key = split_target(change.target)
        try:
            value = applied(work.value_at(key, change.field), change)
        except ValueError as exc:
            raise StoreError(
                f"The history does not fit itself at record {change.seq} ({exc}); "
                "nothing was copied."
            ) from None
        work.apply(key, change.field, value)
        last[key] = change.seq
    return {k: (v, last[k]) for k, v in work.values.items() if v is not None}


def _without_key(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != "key"}


def _schema(path: Path) -> int:
    rows = list(json.loads(path.read_text(encoding="utf-8")).get("meta", {}).values())
    return int(rows[0].get("schema_version", 1)) if rows else SCHEMA_VERSION


def _meta(path: Path) -> dict[str, Any]:
    # Store has no "all meta" read: since schema 2 the ledger file holds every meta key.
    ledger = LedgerFile(ledger_path(path), readonly=True)
    try:
        return {k: v for k, v in ledger.meta.items() if k not in RESERVED_META}
    finally:
        ledger.close()


def _write(
    url: str,
    records: list[Change],
    docs: dict[Key, tuple[Any, int]],
    reminders: dict[str, dict[str, Any]],
    meta: dict[str, Any],
) -> None:
    with connect(url) as conn:
        upgrade(conn, label(url))
        with conn.transaction():
            tables.version(conn, lock=True)  # a brs serve starting meanwhile waits for the copy
            found = conn.execute(
                "SELECT (SELECT count(*) FROM brs_history) + (SELECT count(*) FROM brs_documents)"
                " + (SELECT count(*) FROM brs_reminders) + (SELECT count(*) FROM brs_meta)"
            ).fetchone()
            if found and found[0]:
                raise StoreError(
                    f"The database {label(url)} already holds a brs store; "
                    "brs migrate copies into an empty one only. Nothing was copied."
                )
            with conn.cursor() as cur:
                cur.executemany(tables.INSERT_HISTORY, tables.history_rows(records))
                cur.executemany(
                    "INSERT INTO brs_documents (kind, name, value, seq) VALUES (%s, %s, %s, %s)",
                    [(k, n, Json(v), seq) for (k, n), (v, seq) in docs.items()],
                )
                cur.execute(
                    "UPDATE brs_state SET version = %s WHERE id = 1",
                    (records[-1].seq if records else 0,),
                )
            tables.put_reminders(conn, {k: {**v, "key": k} for k, v in reminders.items()})
            for key, value in meta.items():
                tables.set_meta(conn, key, value)


def _verify(
    source: Store,
    url: str,
    clock: Callable[[], datetime],
    records: int,
    docs: int,
    entries: int,
    meta: dict[str, Any],
) -> None:
    with PgStore.open(url, clock=clock, listen=False) as copy, copy._db() as conn:
        counted = conn.execute(
            "SELECT (SELECT count(*) FROM brs_history), (SELECT count(*) FROM brs_documents),"
            " (SELECT count(*) FROM brs_reminders)"
        ).fetchone()
        checks = {
            "history records, documents, reminder entries": (records, docs, entries)
            == tuple(counted or ()),
            "activities": copy.activities() == source.activities(),
            "deadlines": copy.deadlines() == source.deadlines(),
            "events": copy.events() == source.events(),
            "the report": copy.report_info() == source.report_info(),
            "the version": copy.version == source.version,
            "the reminder ledger": dict(copy.reminder_entries()) == dict(source.reminder_entries()),
            "the snoozes": copy.snoozes() == source.snoozes(),
            "the meta values": all(copy.get_meta(k) == v for k, v in meta.items()),
            "the history": all(
                copy.history(code) == source.history(code) for code in source.codes()
            ),
        }
    wrong = [name for name, ok in checks.items() if not ok]
    if wrong:
        raise StoreError(
            f"The copy in {label(url)} differs from the store in {', '.join(wrong)}; "
            "empty that database before running brs migrate again."
        )
