"""Write the store's report back out in the report's own markdown layout.

The output reads back through the importer to the same activities, so the
secretariat can turn the bot's current state into the next status document.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from store.model import Activity, Row, Section

HEADER = "\t".join(
    (
        "Decision requests",
        "Status of implementation",
        "Next steps",
        "Voluntary funding needed (Yes/No) If yes, status of voluntary funding "
        "[not yet funded] [partly funded] [fully funded]",
        "Implications for next steps, if no or part of the funding has been received.",
    )
)


def _cell(lines: Iterable[str]) -> str:
    items = " ".join(f"<li>{escape(line, quote=False)}</li>" for line in lines)
    # Never an empty cell: an empty first cell would read back as a continuation row.
    return f'<ul style="list-style-type: none"> {items} </ul>'


def _row(row: Row) -> str:
    cols = (row.requests, row.status, row.next_steps, row.funding_lines, row.implications)
    return "\t".join(_cell(c) for c in cols)


def render_markdown(
    title: str,
    sections: Iterable[Section],
    activities: Iterable[Activity],
    footnotes: Iterable[str] = (),
) -> str:
    sections = list(sections)
    activities = list(activities)
    by_section = {s.number: [a for a in activities if a.section == s.number] for s in sections}
    out = [f"## **{escape(title, quote=False)}**", ""] if title else []
    for s in sections:
        if not by_section[s.number]:
            continue
        out += [f"### **{s.number}. {escape(s.title, quote=False)}**", ""]
        out += [f"{escape(a.title, quote=False)} ({a.code})  " for a in by_section[s.number]]
        out.append("")
    notes = list(footnotes)
    if notes:
        out += ["---", ""]
        out += [f"<sup>{i}</sup> {escape(n, quote=False)}" for i, n in enumerate(notes, 1)]
        out.append("")
    for s in sections:
        if not by_section[s.number]:
            continue
        out += [f"## {s.number}. {escape(s.title, quote=False)}", "", HEADER]
        for a in by_section[s.number]:
            out.append(f"<b>{escape(a.title, quote=False)} ({a.code})</b>\t\t\t\t")
            out += [_row(r) for r in a.rows]
        out.append("")
    return "\n".join(out)
