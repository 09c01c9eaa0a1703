"""History as people read it, for `/brs history`, undo and the form: a record in words."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import groupby
from typing import Any

from bot.grammar.edits import one_line
from bot.render.blocks import cut, escape_mrkdwn
from bot.render.format import fmt_date, fmt_when, fmt_who
from store.model import COLUMN_LABELS, FUNDING_LABELS

# Row fields by their name in the store; "funding" is the parsed status beside the words.
FIELD_LABELS = {
    **COLUMN_LABELS,
    "funding_lines": "Voluntary funding (words)",
    "funding": "Funding status",
}


def _batch(r: Any) -> int:
    return getattr(r, "batch", 0) or r.seq  # records made before batches were numbered


def _who(user: str) -> str:
    return "the import" if user == "import" else fmt_who(user)


def history_lines(changes: tuple[Any, ...] | list[Any], rows: int) -> str:
    """mrkdwn: a line per commit (when, who), its changes under it; `changes` newest first."""
    entries = []
    for _, group in groupby(changes, key=_batch):
        records = sorted(group, key=lambda r: r.seq)
        said = describe_batch(records, rows)
        head = f"• *{fmt_when(records[0].at)}* · {_who(records[0].user)}"
        entries.append("\n".join([head, *(f"      {line}" for line in said)]))
    return "\n".join(entries)


def summary(code: str, shown: int, total: int) -> str:
    count = f"{total} change{'s' if total != 1 else ''}"
    older = f", the newest {shown} shown" if shown < total else ""
    return escape_mrkdwn(f"History of {code}: {count}{older}")


# --- one record as words --------------------------------------------------


def quoted(text: str, limit: int = 300) -> str:
    """Typed text in quotes, shortened and inert in mrkdwn."""
    return f"“{escape_mrkdwn(cut(text, limit))}”"


def field_label(field: str, rows: int) -> str:
    """ "rows.0.status" -> "Status of implementation, request 1" (the request only if several)."""
    head, _, rest = field.partition(".")
    if head != "rows":
        return field.replace("_", " ").capitalize() if field else "The whole activity"
    n, _, column = rest.partition(".")
    label = FIELD_LABELS.get(column.partition(".")[0], column.replace("_", " "))
    return f"{label}, request {int(n) + 1}" if rows > 1 and n.isdigit() else label


def _lines(value: Any) -> list[str]:
    return [str(x) for x in value] if isinstance(value, list | tuple) else []


def _short(value: Any, limit: int = 200) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, dict) and "status" in value and "needed" in value:
        return FUNDING_LABELS.get(value["status"], str(value["status"]))
    if isinstance(value, dict):
        value = next((value[k] for k in ("due", "title", "text") if value.get(k)), "…")
    if isinstance(value, list | tuple):
        value = "; ".join(map(str, value))
    if isinstance(value, bool):
        value = "yes" if value else "no"
    return quoted(one_line(str(value)), limit)


def describe(r: Any, rows: int) -> str:
    """One history record as a person reads it: the field's name, then what changed."""
    kind, _, name = str(r.target).partition(":")
    subject = f"Deadline `{escape_mrkdwn(name)}`" if kind == "deadline" else ""
    if not r.field:
        what = "Activity" if kind == "activity" else subject or escape_mrkdwn(str(r.target))
        origin = " (imported)" if r.user == "import" else ""
        if r.old is None:
            return f"{what} created{origin}: {_short(r.new)}"
        if r.new is None:
            return f"{what} removed{origin}: {_short(r.old)}"
        return f"{what} replaced{origin}"
    if kind == "deadline":
        if r.field == "done":
            return f"{subject} {'marked done' if r.new else 'reopened'}"
        label = f"{subject}, {escape_mrkdwn(r.field.replace('_', ' '))}"
    else:
        label = escape_mrkdwn(field_label(r.field, rows))
    if isinstance(r.old, list) and isinstance(r.new, list):
        old, new = Counter(_lines(r.old)), Counter(_lines(r.new))
        gone, came = list((old - new).elements()), list((new - old).elements())
        parts = [f"+ {_short(x)}" for x in came] + [f"− {_short(x)}" for x in gone]
        return f"{label}: " + ("; ".join(parts) if parts else "lines reordered")
    return f"{label}: {_short(r.old, 120)} → {_short(r.new, 120)}"


def describe_batch(records: list[Any], rows: int) -> list[str]:
    """A commit's records, described; "done by" and "done at" go without saying beside "done"."""
    done = {r.target for r in records if r.field == "done"}
    return [
        describe(r, rows)
        for r in records
        if not (r.target in done and r.field in ("done_by", "done_at"))
    ]


# --- the state an undo or redo reached ------------------------------------------------------


def _state_of(r: Any, value: Any, other: Any, rows: int) -> str:
    kind, _, name = str(r.target).partition(":")
    shown = escape_mrkdwn(name)
    if kind == "event":
        if value is None:
            return f"{shown} has no date"
        return f"{shown} is on {fmt_date(date.fromisoformat(str(value)))} again"
    if kind == "deadline":
        if not r.field:
            return (
                f"Deadline `{shown}` is gone"
                if value is None
                else (f"Deadline `{shown}` is back: {_short(value)}")
            )
        if r.field == "done":
            return f"Deadline `{shown}` is {'done' if value else 'open'} again"
        return f"Deadline `{shown}`, {escape_mrkdwn(r.field.replace('_', ' '))}: {_short(value)}"
    if not r.field:
        return f"{shown} is gone" if value is None else f"{shown} is back"
    label = escape_mrkdwn(field_label(r.field, rows))
    if isinstance(value, dict) and "status" in value and "needed" in value:
        n, _, _ = r.field.partition(".")[2].partition(".")
        which = f" (request {int(n) + 1})" if rows > 1 and n.isdigit() else ""
        return f"{shown} funding{which} is {_short(value)} again"
    if isinstance(value, list) and isinstance(other, list):
        now, then = Counter(_lines(value)), Counter(_lines(other))
        back = [f"{_short(x)} is back" for x in (now - then).elements()]
        gone = [f"{_short(x)} is gone" for x in (then - now).elements()]
        return f"{label}: " + ("; ".join(back + gone) or "lines in their old order")
    return f"{label} is {_short(value, 120)} again"


def describe_state(records: list[Any], rows: int, *, redo: bool) -> list[str]:
    """What an undo (each record's `old`) or redo (its `new`) left in place, in words."""
    done = {r.target for r in records if r.field == "done"}
    funding = {r.field.rpartition(".")[0] for r in records if r.field.endswith(".funding")}
    lines = []
    for r in records:
        if r.target in done and r.field in ("done_by", "done_at"):
            continue
        if r.field.endswith(".funding_lines") and r.field.rpartition(".")[0] in funding:
            continue  # the status says it; the words go with it
        value, other = (r.new, r.old) if redo else (r.old, r.new)
        lines.append(_state_of(r, value, other, rows))
    return lines
