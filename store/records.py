"""History records: what one change did, its line on disk, and how it is applied and resolved."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import Any

# A change before it has a number: (target, field, old, new).
Item = tuple[str, str, Any, Any]

SET, APPEND, TRIM = "set", "append", "trim"


@dataclass(frozen=True)
class Change:
    """One recorded change: `field` is a dotted path in `target`'s document ("" = all of it).

    With op "set", `field` went from `old` to `new`; `old` None means the document was
    created, `new` None that it was removed. A list that only grew or shrank at its end is
    stored as the difference: op "append" (old = the length before, new = the items added)
    or "trim" (old = the items removed, new = the length after). The store resolves those
    to "set" with whole lists before anyone outside it sees them.
    """

    seq: int
    target: str
    field: str
    old: Any
    new: Any
    user: str
    at: str  # UTC, ISO-8601 with "Z"
    # The seq of the last record of the commit it belongs to: undo reverts whole commits.
    batch: int = dc_field(default=0, compare=False, repr=False)
    op: str = SET

    @property
    def kind(self) -> str:
        """ "activity", "deadline", "event", "setting", "snooze" or "report"."""
        return self.target.partition(":")[0]

    @property
    def name(self) -> str:
        return self.target.partition(":")[2]


def compact(change: Change) -> Change:
    """The smallest record with the same effect: a list grown or cut at its end is a delta."""
    old, new = change.old, change.new
    if change.op != SET or not change.field or not isinstance(old, list):
        return change
    if not isinstance(new, list) or len(new) == len(old):
        return change
    if len(new) > len(old) and new[: len(old)] == old:
        return replace(change, op=APPEND, old=len(old), new=new[len(old) :])
    if len(new) < len(old) and old[: len(new)] == new:
        return replace(change, op=TRIM, old=old[len(new) :], new=len(new))
    return change


def applied(current: Any, change: Change) -> Any:
    """The field's value after `change`, given its value `current` before; ValueError if the
    record does not fit (the history and the documents disagree)."""
    if change.op == SET:
        return change.new
    if not isinstance(current, list):
        raise ValueError(f"{change.target} {change.field} is not a list")
    if change.op == APPEND:
        if len(current) != change.old:
            raise ValueError(f"{change.target} {change.field} has {len(current)} items")
        return current + list(change.new)
    if len(current) != change.new + len(change.old):
        raise ValueError(f"{change.target} {change.field} has {len(current)} items")
    return current[: change.new]


def before(after: Any, change: Change) -> Any:
    """The field's value before `change`, given its value `after` it (undoing it exactly)."""
    if change.op == SET:
        return change.old
    if not isinstance(after, list):
        raise ValueError(f"{change.target} {change.field} is not a list")
    if change.op == APPEND:
        return after[: change.old]
    return after + list(change.old)


def encode(change: Change, end: int) -> bytes:
    # Built by hand: dataclasses.asdict would deep-copy a whole document per record.
    record: dict[str, Any] = {"seq": change.seq, "target": change.target, "field": change.field}
    record.update(old=change.old, new=change.new, user=change.user, at=change.at)
    if change.op != SET:  # a set record keeps the format from before deltas
        record["op"] = change.op
    record["end"] = end  # the batch's last seq
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def decode(line: bytes) -> Change | None:
    """The record on one line, or None if the line is not a whole record."""
    if not line.endswith(b"\n"):
        return None
    try:
        d = json.loads(line)
        op = d.get("op", SET)
        change = Change(
            seq=int(d["seq"]),
            target=str(d["target"]),
            field=str(d["field"]),
            old=d["old"],
            new=d["new"],
            user=str(d["user"]),
            at=str(d["at"]),
            batch=int(d["end"]),
            op=op,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if op == APPEND and isinstance(change.old, int) and isinstance(change.new, list):
        return change
    if op == TRIM and isinstance(change.old, list) and isinstance(change.new, int):
        return change
    return change if op == SET else None


# --- values inside documents, without copying what does not change ------------------------


def value_at(doc: Any, path: str) -> Any:
    """The value at a dotted path, None where the path leads nowhere."""
    node = doc
    for part in path.split(".") if path else ():
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def with_value(doc: Any, path: str, value: Any) -> Any:
    """`doc` with the value at `path` replaced: copies only the containers on the path."""
    if not path:
        return value
    part, _, rest = path.partition(".")
    if isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
        copy = list(doc)
        copy[int(part)] = with_value(doc[int(part)], rest, value)
        return copy
    if isinstance(doc, dict):
        return {**doc, part: with_value(doc.get(part), rest, value)}
    raise ValueError(f"no field {path}")


def resolve(current: Any, newest_first: list[Change]) -> dict[int, Change]:
    """One target's records, newest first down to some seq, as "set" records with whole values.

    `current` is the target's document after the newest of them; walking back undoes each
    record in turn, so a delta's whole lists come from the document as it was then.
    """
    out: dict[int, Change] = {}
    doc = current
    for change in newest_first:
        try:
            after = value_at(doc, change.field)
            old = before(after, change)
            doc = with_value(doc, change.field, old)
        except ValueError:
            # The documents no longer match this record (a hand-edited store): show what it
            # says it did rather than fail the read.
            if change.op == APPEND:
                old, after = [], list(change.new)
            elif change.op == TRIM:
                old, after = list(change.old), []
            else:
                old, after = change.old, change.new
            doc = None
        if change.op != SET:
            out[change.seq] = replace(change, op=SET, old=old, new=after)
        else:
            out[change.seq] = change
    return out
