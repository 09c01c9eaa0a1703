"""Three-way merge of a re-imported activity: the last import's values are the base."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

# Fields merged together: the funding words and the status read from them are one edit.
_UNITS = (
    ("requests",),
    ("status",),
    ("next_steps",),
    ("funding_lines", "funding"),
    ("implications",),
)
CONFLICTS_FIELD = "import_conflicts"  # on an activity: what the last import could not merge


@dataclass
class Merge:
    """Where the file and Slack both moved a field, Slack's value is kept and it is listed."""

    conflicts: list[tuple[str, str]] = dc_field(default_factory=list)  # (code, field)
    kept: list[tuple[str, str]] = dc_field(default_factory=list)  # Slack edits the file left alone


def _pick(merge: Merge, code: str, name: str, base: Any, local: Any, new: Any) -> Any:
    if local in (base, new):
        return new
    if new == base:
        merge.kept.append((code, name))
        return local
    merge.conflicts.append((code, name))
    return local


def merge_activity(merge: Merge, code: str, base: dict | None, local: dict, new: dict) -> dict:
    """The file's activity with every field Slack changed since the base kept as it is locally."""
    if base is None:
        return new  # no base recorded (a store from before three-way imports): the file wins
    out = dict(new)
    for name in new:
        if name == "rows":
            continue
        out[name] = _pick(merge, code, name, base.get(name), local.get(name), new.get(name))
    b, loc, n = base.get("rows", []), local.get("rows", []), new.get("rows", [])
    if not len(b) == len(loc) == len(n):
        out["rows"] = _pick(merge, code, "rows", b, loc, n)
        return out
    rows = []
    for i, (rb, rl, rn) in enumerate(zip(b, loc, n, strict=True)):
        row = dict(rn)
        for unit in _UNITS:
            got = _pick(
                merge,
                code,
                f"rows.{i}.{unit[0]}",
                [rb.get(k) for k in unit],
                [rl.get(k) for k in unit],
                [rn.get(k) for k in unit],
            )
            row.update(zip(unit, got, strict=True))
        rows.append(row)
    out["rows"] = rows
    return out


def conflict_lines(merge: Merge, code: str, new: dict) -> list[str]:
    """What `/brs history` shows of a conflict: the field and the file's words not taken."""
    lines = []
    for c, name in merge.conflicts:
        if c != code:
            continue
        value: Any = new
        for part in name.split("."):
            value = value[int(part)] if isinstance(value, list) else value.get(part)
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        lines.append(f"{name}: kept the Slack edit; the file says {str(value)[:200]!r}")
    return lines
