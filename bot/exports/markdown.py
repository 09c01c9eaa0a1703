"""Write the store's report back out as readable markdown that the importer reads back.

A heading per section and per activity, the contents as a list, and under each
activity a pipe table of its decision requests (a cell's lines split by <br>),
so the secretariat can read it as it is and turn it into the next report.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from store.model import Activity, Row, Section

COLUMNS = (
    "Decision requests",
    "Status of implementation",
    "Next steps",
    "Voluntary funding needed (Yes/No) If yes, status of voluntary funding "
    "[not yet funded] [partly funded] [fully funded]",
    "Implications for next steps, if no or part of the funding has been received.",
)
HEADER = "\t".join(COLUMNS)  # the tab-separated header of the original report's layout
_PIPE_HEADER = "| " + " | ".join(COLUMNS) + " |\n|" + " --- |" * len(COLUMNS)


def _text(line: str) -> str:
    """Text outside tables: HTML-safe (the importer reads lines as HTML)."""
    return escape(line, quote=False)


def _in_cell(line: str) -> str:
    """Text in a pipe-table cell: also its "|" and "**" escaped."""
    return _text(line).replace("|", "\\|").replace("**", "\\*\\*")


def _cell(lines: Iterable[str], first: bool) -> str:
    text = "<br>".join(_in_cell(line) for line in lines)
    # An empty first cell would read back as the continuation of the row above.
    return text or ("<ul></ul>" if first else "")


def _row(row: Row) -> str:
    cols = (row.requests, row.status, row.next_steps, row.funding_lines, row.implications)
    return "| " + " | ".join(_cell(c, i == 0) for i, c in enumerate(cols)) + " |"


def render_markdown(
    title: str,
    sections: Iterable[Section],
    activities: Iterable[Activity],
    footnotes: Iterable[str] = (),
) -> str:
    sections = list(sections)
    activities = list(activities)
    by_section = {s.number: [a for a in activities if a.section == s.number] for s in sections}
    out = [f"# {_text(title)}", ""] if title else []
    out += ["## Contents", ""]
    for s in sections:
        if by_section[s.number]:
            out += [f"**{s.number}. {_text(s.title)}**", ""]
            out += [f"- {_text(a.title)} ({a.code})" for a in by_section[s.number]]
            out.append("")
    notes = list(footnotes)
    if notes:
        out += ["---", ""]
        out += [f"<sup>{i}</sup> {_text(n)}" for i, n in enumerate(notes, 1)]
        out.append("")
    for s in sections:
        if not by_section[s.number]:
            continue
        out += [f"## {s.number}. {_text(s.title)}", ""]
        for a in by_section[s.number]:
            out += [f"### {_text(a.title)} ({a.code})", "", _PIPE_HEADER]
            out += [_row(r) for r in a.rows]
            out.append("")
    return "\n".join(out)
