"""The report as CSV: one row per activity row, for a spreadsheet.

A cell holds the column's lines joined with newlines (the csv module quotes them).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from bot.grammar.words import GROUP_WORDS
from store.model import Activity

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
# A spreadsheet reads a cell starting with one of these as a formula; people type status lines
# in Slack, so such a cell is written with a leading apostrophe, as spreadsheets themselves do.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _lines(lines: Iterable[str]) -> str:
    return _cell("\n".join(lines))


def render_csv(activities: Iterable[Activity]) -> str:
    """RFC 4180 CSV (CRLF line ends, quoted cells where needed) with a header row."""
    out = io.StringIO()
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
