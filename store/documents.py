"""Documents as the store keeps them: targets, dotted-path edits, JSON values, validation."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from store import model
from store.storage import StoreError

# kind of target -> (TinyDB table, field naming the document); the report is one document.
TABLES = {
    "activity": ("activities", "code"),
    "deadline": ("deadlines", "id"),
    "event": ("events", "name"),
    "setting": ("settings", "name"),
    # No reminders for a deadline before this day: kept in the history, so a rebuild keeps it.
    "snooze": ("snoozes", "id"),
    # Slack requests already applied ("cmd:<timestamp>:<signature>" → the timestamp), in the
    # same batch as what they changed, so an exact replay is a no-op even after a restart.
    "request": ("requests", "key"),
    "report": ("report", ""),
}
Key = tuple[str, str]  # (kind, name)
ChangeItem = tuple[str, str, Any, Any]  # (target, field, old, new)


@dataclass(frozen=True)
class ReportInfo:
    title: str
    sections: tuple[model.Section, ...]
    footnotes: tuple[str, ...]
    toc: tuple[tuple[str, str, str], ...]
    source: str


EMPTY_REPORT = ReportInfo("", (), (), (), "")


class Work:
    """The documents a batch changes, changed in order without touching the originals.

    Documents are never changed in place: an edit copies the containers on its path and
    shares the rest, so a change to one line of a long list copies that list, not the whole
    activity (a deep copy of a document per change grew with the document).
    """

    def __init__(self, docs: dict[str, dict[str, Any]]) -> None:
        self._docs = docs
        self.values: dict[Key, Any] = {}

    def _get(self, key: Key) -> Any:
        if key in self.values:
            return self.values[key]
        return self._docs[key[0]].get(key[1])

    def value_at(self, key: Key, field: str) -> Any:
        node = self._get(key)
        for part in field.split(".") if field else ():
            if node is None:
                return None
            node = _step(node, part, key, field, missing_ok=True)
        return node

    def apply(self, key: Key, field: str, new: Any) -> None:
        """Set `field` to `new`, a value the caller hands over (the store keeps it as it is)."""
        if not field:
            self.values[key] = new
            return
        node = self._get(key)
        if node is None:
            raise StoreError(f"{target_of(key)} does not exist; nothing was saved.")
        self.values[key] = _replaced(node, field.split("."), new, key, field)


def _replaced(node: Any, parts: list[str], new: Any, key: Key, field: str) -> Any:
    part, rest = parts[0], parts[1:]
    if isinstance(node, list):
        i = _index(node, part, key, field)
        items = list(node)
        items[i] = _replaced(node[i], rest, new, key, field) if rest else new
        return items
    if isinstance(node, dict) and (part in node or not rest):
        fields = dict(node)
        fields[part] = _replaced(node[part], rest, new, key, field) if rest else new
        return fields
    raise StoreError(f"{target_of(key)} has no field {field}; nothing was saved.")


def _step(node: Any, part: str, key: Key, field: str, missing_ok: bool = False) -> Any:
    if isinstance(node, list):
        return node[_index(node, part, key, field)]
    if isinstance(node, dict) and (part in node or missing_ok):
        return node.get(part)
    raise StoreError(f"{target_of(key)} has no field {field}; nothing was saved.")


def _index(node: list, part: str, key: Key, field: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise StoreError(f"{target_of(key)} has no field {field}; nothing was saved.")
    return int(part)


def split_target(target: str) -> Key:
    kind, sep, name = str(target).partition(":")
    if kind == "report" and not sep:
        return ("report", "")
    if kind not in TABLES or kind == "report" or not name:
        raise StoreError(f"Unknown change target {target!r}; nothing was saved.")
    return (kind, name)


def target_of(key: Key) -> str:
    return "report" if key[0] == "report" else f"{key[0]}:{key[1]}"


def group_of(target: str) -> str | None:
    """History groups: an activity's records and its deadlines' ("S17-2" -> "s17")."""
    kind, _, name = target.partition(":")
    if kind == "activity":
        return name.casefold()
    if kind == "deadline":
        return name.rpartition("-")[0].casefold() or None
    return None


_PLAIN = (str, int, bool)


def to_json(value: Any) -> Any:
    """A JSON value: tuples become lists, dates ISO strings."""
    # The common values (a status list, a title) need no round trip through text, which for a
    # long list cost more than the rest of a commit.
    if value is None or type(value) in _PLAIN:
        return value
    if type(value) in (list, tuple) and all(type(x) is str for x in value):
        return list(value)
    try:
        return json.loads(json.dumps(value, default=_json_default))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"Cannot store {type(value).__name__}: {exc}.") from None


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def check_dates(objs: Mapping[Key, Any]) -> None:
    """StoreError unless every date in the changed documents falls in model's window."""
    for (kind, name), obj in objs.items():
        dates: list[date] = []
        if isinstance(obj, model.Deadline):
            dates = [d for d in (obj.on, obj.end) if d is not None]
            if abs(obj.offset_days) > model.MAX_OFFSET_DAYS:
                raise StoreError(
                    f"not saved: {target_of((kind, name))} is {abs(obj.offset_days):,} days from "
                    f"its event; at most {model.MAX_OFFSET_DAYS:,} are accepted."
                )
        elif kind in ("event", "snooze") and isinstance(obj, date):
            dates = [obj]
        for d in dates:
            if not model.in_window(d):
                raise StoreError(
                    f"not saved: {target_of((kind, name))} is dated {d.isoformat()}, outside the "
                    f"years {model.FIRST_YEAR}–{model.LAST_YEAR} brs accepts."
                )


def validated(kind: str, name: str, value: Any) -> Any:
    """The dataclass a document stands for; StoreError if it does not make one."""
    try:
        if kind == "activity":
            obj = model.activity_from_dict(value)
            if obj.code != name:
                raise ValueError(f"code {obj.code!r}")
            return obj
        if kind == "deadline":
            dl = model.deadline_from_dict(value)
            if dl.id != name:
                raise ValueError(f"id {dl.id!r}")
            return dl
        if kind in ("event", "snooze"):
            return date.fromisoformat(value)
        if kind == "report":
            return ReportInfo(
                title=str(value["title"]),
                sections=tuple(model.Section(**s) for s in value["sections"]),
                footnotes=tuple(value["footnotes"]),
                toc=tuple(tuple(t) for t in value["toc"]),
                source=str(value.get("source", "")),
            )
        return value
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoreError(
            f"{target_of((kind, name))} would not be valid ({exc!r}); nothing was saved."
        ) from None


def from_row(kind: str, key: str, row: dict[str, Any]) -> tuple[str, Any]:
    if kind == "report":
        return "", row
    if kind == "event":
        return row["name"], row["on"]
    if kind == "setting":
        return row["name"], row["value"]
    if kind == "snooze":
        return row["id"], row["until"]
    if kind == "request":
        return row["key"], row["at"]
    return row[key], row


def to_row(kind: str, key: str, name: str, value: Any) -> dict[str, Any]:
    if kind == "event":
        return {"name": name, "on": value}
    if kind == "setting":
        return {"name": name, "value": value}
    if kind == "snooze":
        return {"id": name, "until": value}
    if kind == "request":
        return {"key": name, "at": value}
    return value


def replacing(row: dict[str, Any]) -> Callable[[dict], None]:
    def replace_doc(doc: dict) -> None:
        doc.clear()
        doc.update(row)

    return replace_doc
