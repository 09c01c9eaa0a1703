"""From schema 1: the reminder bookkeeping that lived in the TinyDB file, sorted for its new homes.

Schema 1 kept the sent-ledger and the snoozes in a "reminders" table and the scheduler's last
run in the meta document, so every reminder run rewrote the whole database. Schema 2 keeps
entries and last run in the ledger file and snoozes in the history. (The history's own change,
deltas for appended lines, is History(convert=True).)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tinydb import TinyDB

from store.documents import ChangeItem

LEGACY_TABLE = "reminders"
SNOOZE_SUFFIX = "|snooze"


def legacy_rows(db: TinyDB) -> dict[str, dict[str, Any]]:
    """The schema 1 reminders table, by ledger key."""
    return {str(row["key"]): dict(row) for row in db.table(LEGACY_TABLE).all() if "key" in row}


def ledger_entries(rows: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The rows that stay ledger entries: everything but snoozes."""
    return {k: dict(v) for k, v in rows.items() if not k.endswith(SNOOZE_SUFFIX)}


def snooze_commits(
    rows: Mapping[str, dict[str, Any]], fallback_at: str
) -> list[tuple[str, str, ChangeItem]]:
    """Each snooze as (user, at, change) for the history, with who set it and when."""
    out = []
    for key, row in rows.items():
        if not key.endswith(SNOOZE_SUFFIX) or not isinstance(row.get("until"), str):
            continue
        deadline_id = key.removesuffix(SNOOZE_SUFFIX)
        item: ChangeItem = (f"snooze:{deadline_id}", "", None, row["until"])
        out.append((str(row.get("by") or "system"), _stamp(row.get("at"), fallback_at), item))
    return out


def _stamp(value: Any, fallback: str) -> str:
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return fallback
    if when.tzinfo is None:
        return fallback
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
