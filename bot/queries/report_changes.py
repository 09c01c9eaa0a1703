"""What changed per activity since the last import or a date: the digest of a new report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.grammar.report_changes import Changes
from store.model import FUNDING_LABELS


@dataclass(frozen=True)
class ChangeLine:
    what: str
    user: str
    at: str


@dataclass(frozen=True)
class ActivityChanges:
    code: str
    title: str
    lines: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class ReportChanges:
    command: str
    since: str  # "the last import (…)" or a date, as said in the reply
    activities: tuple[ActivityChanges, ...]


def _funding(value: Any) -> str:
    return FUNDING_LABELS.get(str(value.get("status")), "?") if isinstance(value, dict) else "?"


_MOVED = ("on", "event", "offset_days", "end")


def _batch(r: Any) -> int:
    return getattr(r, "batch", 0) or r.seq


def _describe(r: Any) -> str | None:
    """One record as a line of the digest; None for bookkeeping nobody reads."""
    kind, name = r.kind, r.name
    if kind == "deadline":
        if not r.field:  # the whole deadline: created or removed
            d = r.new if isinstance(r.new, dict) else r.old if isinstance(r.old, dict) else {}
            due = str(d.get("due", ""))[:80]
            when = d.get("on") or d.get("event") or ""
            if r.old is None:
                return f"deadline added: {name} {due} ({when})"
            return f"deadline removed: {name} {due}" if r.new is None else None
        if r.field in _MOVED:
            return f"deadline moved: {name} {r.field} {r.old} → {r.new}"
        if r.field == "done":
            return f"deadline {'done' if r.new else 'reopened'}: {name}"
        if r.field in ("due", "sentence", "phrase"):
            return f"deadline reworded: {name}"
        return None  # done_by, done_at: said by "done"
    if not r.field:
        return "activity added" if r.old is None else "activity removed" if r.new is None else None
    if r.field == "import_conflicts":
        return "; ".join(f"conflict: {c}" for c in r.new or []) or None
    parts = r.field.split(".")
    if parts[0] == "rows" and len(parts) >= 3:
        column = parts[2]
        if column == "status" and isinstance(r.old, list) and isinstance(r.new, list):
            added = r.new[len(r.old) :] if r.new[: len(r.old)] == r.old else None
            if added:
                return "; ".join(f"status line added: {line}" for line in added)
            return "status of implementation rewritten"
        if column == "funding":
            return f"funding moved: {_funding(r.old)} → {_funding(r.new)}"
        if column == "funding_lines":
            return None  # said by the funding line beside it
        return f"{column.replace('_', ' ')} changed"
    return f"{r.field.replace('_', ' ')} changed"


def run(store: Any, cmd: Changes, *, today: date) -> ReportChanges:
    """Per activity, in report order, what its records since `cmd.since` say."""
    records = {a.code: store.history(a.code) for a in store.activities()}
    if cmd.since is not None:
        start, since = cmd.since.isoformat(), cmd.since.isoformat()
    else:
        imports = [r.at for rs in records.values() for r in rs if r.user == "import"]
        start = max(imports, default="")
        since = f"the last import ({start[:10]})" if start else "the beginning"
    out = []
    for a in store.activities():
        lines, said = [], set()
        recent = [r for r in records[a.code] if r.at >= start]
        # A moved deadline's sentence changed too: "moved" says it; one line per commit.
        moved = {(_batch(r), r.name) for r in recent if r.kind == "deadline" and r.field in _MOVED}
        for r in recent:
            what = _describe(r)
            if not what or (what.startswith("deadline reworded") and (_batch(r), r.name) in moved):
                continue
            if (_batch(r), what) not in said:
                said.add((_batch(r), what))
                lines.append(ChangeLine(what, r.user, r.at))
        if lines:
            out.append(ActivityChanges(a.code, a.title, tuple(lines)))
    return ReportChanges(cmd.text, since, tuple(out))
