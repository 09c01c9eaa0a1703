"""The SQL behind the PostgreSQL store: each function runs on a connection the caller holds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg.types.json import Json

from store.documents import Key, group_of, split_target
from store.history import Change
from store.records import compact

NOTIFY_CHANNEL = "brs_changes"
_COLUMNS = 'seq, target, field, old, new, "user", at, batch, op'


def _change(row: tuple[Any, ...]) -> Change:
    seq, target, field, old, new, user, at, batch, op = row
    return Change(int(seq), target, field, old, new, user, at, batch=int(batch), op=op)


def history_rows(records: Iterable[Change]) -> list[tuple[Any, ...]]:
    """brs_history rows as stored: a list grown or cut at its end is a delta (records.compact)."""
    out = []
    for c in map(compact, records):
        out.append(
            (c.seq, c.target, c.field, Json(c.old), Json(c.new), c.user, c.at, c.batch, c.op)
            + (group_of(c.target),)
        )
    return out


INSERT_HISTORY = f"INSERT INTO brs_history ({_COLUMNS}, grp) VALUES ({', '.join(['%s'] * 10)})"


def version(conn: psycopg.Connection, *, lock: bool = False) -> int:
    """The store's version; with `lock`, held until the transaction ends (commits queue here)."""
    sql = "SELECT version FROM brs_state WHERE id = 1" + (" FOR UPDATE" if lock else "")
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def all_documents(conn: psycopg.Connection) -> dict[Key, Any]:
    return {(k, n): v for k, n, v in conn.execute("SELECT kind, name, value FROM brs_documents")}


def documents(conn: psycopg.Connection, keys: Iterable[Key]) -> dict[Key, Any]:
    """The current value of each key, None for those that do not exist (any more)."""
    keys = list(keys)
    found = dict.fromkeys(keys)
    rows = conn.execute(
        "SELECT d.kind, d.name, d.value FROM brs_documents d "
        "JOIN unnest(%s::text[], %s::text[]) AS k(kind, name) USING (kind, name)",
        ([k for k, _ in keys], [n for _, n in keys]),
    )
    for kind, name, value in rows:
        found[(kind, name)] = value
    return found


def since(conn: psycopg.Connection, seq: int) -> list[Change]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM brs_history WHERE seq > %s ORDER BY seq", (seq,)
    ).fetchall()
    return [_change(r) for r in rows]


def targets(conn: psycopg.Connection) -> set[str]:
    return {t for (t,) in conn.execute("SELECT DISTINCT target FROM brs_history")}


def last_in_groups(conn: psycopg.Connection) -> list[Change]:
    rows = conn.execute(
        f"SELECT DISTINCT ON (grp) {_COLUMNS} FROM brs_history "
        "WHERE grp IS NOT NULL ORDER BY grp, seq DESC"
    ).fetchall()
    return [_change(r) for r in rows]


def of_target(conn: psycopg.Connection, target: str, since: int = 0) -> list[Change]:
    found = conn.execute(
        f"SELECT {_COLUMNS} FROM brs_history WHERE target = %s AND seq >= %s ORDER BY seq",
        (target, since),
    ).fetchall()
    return [_change(r) for r in found]


def in_group(conn: psycopg.Connection, group: str, newest: int | None) -> list[Change]:
    if newest is None:
        sql = f"SELECT {_COLUMNS} FROM brs_history WHERE grp = %s ORDER BY seq"
        return [_change(r) for r in conn.execute(sql, (group,))]
    if newest <= 0:
        return []
    sql = f"SELECT {_COLUMNS} FROM brs_history WHERE grp = %s ORDER BY seq DESC LIMIT %s"
    return [_change(r) for r in reversed(conn.execute(sql, (group, newest)).fetchall())]


def count_in_group(conn: psycopg.Connection, group: str) -> int:
    row = conn.execute("SELECT count(*) FROM brs_history WHERE grp = %s", (group,)).fetchone()
    return int(row[0]) if row else 0


def append(
    conn: psycopg.Connection, records: list[Change], values: dict[Key, Any], schema: str
) -> None:
    """The history records and the documents they leave, and the new version, in `conn`'s
    transaction; listeners hear of it when that transaction commits."""
    end = records[-1].seq
    with conn.cursor() as cur:
        cur.executemany(INSERT_HISTORY, history_rows(records))
        gone = [key for key, value in values.items() if value is None]
        if gone:
            cur.execute(
                "DELETE FROM brs_documents d USING unnest(%s::text[], %s::text[]) AS k(kind, name)"
                " WHERE d.kind = k.kind AND d.name = k.name",
                ([k for k, _ in gone], [n for _, n in gone]),
            )
        kept = [(k, n, Json(v), end) for (k, n), v in values.items() if v is not None]
        if kept:
            cur.executemany(
                "INSERT INTO brs_documents (kind, name, value, seq) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (kind, name) DO UPDATE SET value = EXCLUDED.value, seq = EXCLUDED.seq",
                kept,
            )
        cur.execute("UPDATE brs_state SET version = %s WHERE id = 1", (end,))
        cur.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, f"{schema}:{end}"))


def touched(records: list[Change]) -> set[Key]:
    return {split_target(c.target) for c in records}


def get_meta(conn: psycopg.Connection, key: str) -> tuple[bool, Any]:
    row = conn.execute("SELECT value FROM brs_meta WHERE key = %s", (key,)).fetchone()
    return (True, row[0]) if row else (False, None)


def set_meta(conn: psycopg.Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO brs_meta (key, value) VALUES (%s, %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        (key, Json(value)),
    )


def reminders(conn: psycopg.Connection, *, lock: bool = False) -> dict[str, dict[str, Any]]:
    sql = "SELECT key, doc FROM brs_reminders" + (" FOR UPDATE" if lock else "")
    return {key: doc for key, doc in conn.execute(sql)}


def put_reminders(conn: psycopg.Connection, rows: dict[str, dict[str, Any] | None]) -> None:
    with conn.cursor() as cur:
        gone = [key for key, row in rows.items() if row is None]
        if gone:
            cur.execute("DELETE FROM brs_reminders WHERE key = ANY(%s)", (gone,))
        kept = [(key, Json(row)) for key, row in rows.items() if row is not None]
        if kept:
            cur.executemany(
                "INSERT INTO brs_reminders (key, doc) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc",
                kept,
            )
