"""`/brs history` as people read it: one entry per commit, newest first, each change described."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from bot.edit_changes import describe_batch
from bot.views import escape_mrkdwn, fmt_when, fmt_who

# Records read for one reply: the newest, which is all a reply can show; older ones stay
# in the history file (brs export --format json has the activity as it is now).
SHOWN = 80


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
