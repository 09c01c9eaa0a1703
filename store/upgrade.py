"""From schema 1 to 2: history records as deltas, and new homes for the reminder bookkeeping."""

# Schema 1 kept the sent-ledger and the snoozes in a "reminders" table and the scheduler's last
# run in the meta document, so every reminder run rewrote the whole database. Schema 2 keeps
# entries and last run in the ledger file and snoozes in the history, and its history records
# lists that grew or shrank at their end as the difference (convert_history).

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from store.documents import ChangeItem
from store.index import snapshot_path
from store.records import SET, compact, decode, encode
from store.storage import fsync_dir, temp_prefix

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


def convert_history(path: Path) -> None:
    """Rewrite a schema 1 history with deltas where a list only grew or shrank at its end
    (store.records.compact); every record keeps its seq, batch and effect. One atomic rename:
    a crash leaves the old file or the new one, and a repeat changes nothing more."""
    if not path.exists():
        return
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), dir=directory)
    changed = False
    try:
        with open(path, "rb") as source, os.fdopen(fd, "wb") as out:
            for line in source:
                record = decode(line)
                if record is not None and record.op == SET:
                    smaller = compact(record)
                    if smaller is not record:
                        line, changed = encode(smaller, record.batch), True
                out.write(line)  # a torn tail is copied as it is: the open drops it
            out.flush()
            os.fsync(out.fileno())
        if changed:
            os.replace(tmp, path)
            fsync_dir(directory)
            with contextlib.suppress(FileNotFoundError):
                snapshot_path(path).unlink()  # it indexes the old file
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
