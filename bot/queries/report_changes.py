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


def _describe(r: Any) -> str | None:
    """One record as a line of the digest; None for bookkeeping nobody reads."""
    kind, name = r.kind, r.name
    if kind == "deadline":
        d = r.new or r.old or {}
        due = str(d.get("due", ""))[:80]
        when = d.get("on") or d.get("event") or ""
        if r.old is None:
            return f"deadline added: {name} {due} ({when})"
        if r.new is None:
            return f"deadline removed: {name} {due}"
        if r.field in ("on", "event", "offset_days", "end"):
            return f"deadline moved: {name} {r.field} {r.old} → {r.new}"
        if r.field == "done":
            return f"deadline {'done' if r.new else 'reopened'}: {name}"
        return None if r.field in ("done_by", "done_at") else f"deadline reworded: {name}"
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
        lines = []
        for r in records[a.code]:
            if r.at < start:
                continue
            what = _describe(r)
            if what:
                lines.append(ChangeLine(what, r.user, r.at))
        if lines:
            out.append(ActivityChanges(a.code, a.title, tuple(lines)))
    return ReportChanges(cmd.text, since, tuple(out))
