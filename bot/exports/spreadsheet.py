"""The report as CSV for a spreadsheet: one row per activity row, and one per deadline.

A cell holds the column's lines joined with newlines (the csv module quotes them). Each file
starts with a UTF-8 byte order mark: without it Excel reads the file in the machine's legacy
code page, and "Conférence" or "–" come out garbled.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date

from bot.grammar.words import GROUP_WORDS
from store.model import Activity, Deadline

BOM = "\ufeff"

HEADER = (
    "code",
    "title",
    "section",
    "row",
    "requests",
    "status",
    "next_steps",
    "funding_needed",
    "funding_status",
    "funding_words",
    "implications",
)
DEADLINE_HEADER = (
    "id",
    "code",
    "title",
    "kind",
    "what",
    "date",
    "end",
    "rule",
    "state",
    "done_by",
    "done_at",
    "sentence",
    "source",
)
# A spreadsheet reads a cell starting with one of these as a formula; people type status lines
# in Slack, so such a cell is written with a leading apostrophe, as spreadsheets themselves do.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _lines(lines: Iterable[str]) -> str:
    return _cell("\n".join(lines))


def render_csv(activities: Iterable[Activity]) -> str:
    """RFC 4180 CSV (CRLF line ends, quoted cells where needed) with a BOM and a header row."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for a in activities:
        for n, row in enumerate(a.rows, 1):
            writer.writerow(
                (
                    _cell(a.code),
                    _cell(a.title),
                    _cell(a.section),
                    n,
                    _lines(row.requests),
                    _lines(row.status),
                    _lines(row.next_steps),
                    row.funding.needed,
                    GROUP_WORDS.get(row.funding.status, row.funding.status),  # /brs funding words
                    _lines(row.funding_lines),
                    _lines(row.implications),
                )
            )
    return out.getvalue()


def _state(dl: Deadline) -> str:
    if dl.kind != "deadline":
        return "milestone"
    return "done" if dl.done else "open"


def render_deadlines_csv(
    deadlines: Iterable[Deadline], events: Mapping[str, date], activities: Iterable[Activity]
) -> str:
    """One row per deadline and milestone, in the report's order, with its date resolved
    (ISO, which spreadsheets read as a date) and the rule it follows, if any."""
    titles = {a.code.casefold(): a.title for a in activities}
    order = {code: n for n, code in enumerate(titles)}
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(DEADLINE_HEADER)
    dates = dict(events)
    rows = sorted(deadlines, key=lambda d: (order.get(d.activity.casefold(), len(order)), _n(d)))
    for dl in rows:
        on = dl.resolved(dates)
        writer.writerow(
            (
                _cell(dl.id),
                _cell(dl.activity),
                _cell(" ".join(titles.get(dl.activity.casefold(), "").split())),
                dl.kind,
                _cell(" ".join(dl.due.split())),
                on.isoformat() if on else "",
                dl.end.isoformat() if dl.end and dl.event is None else "",
                _cell(dl.rule),
                _state(dl),
                _cell(dl.done_by or ""),
                dl.done_at or "",
                _cell(" ".join(dl.sentence.split())),
                dl.source,
            )
        )
    return out.getvalue()


def _n(dl: Deadline) -> tuple[int, str]:
    """S17-2 before S17-10."""
    tail = dl.id.rpartition("-")[2]
    return (int(tail), "") if tail.isdigit() else (1 << 30, dl.id)
