"""The status report as a Word document in the report's own layout (python-docx).

Sections as headings, the contents list, and per section the five-column table:
a bold title row spanning the table per activity, then one row per decision
request with each line of a cell a bullet. `brs import` reads it back.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from store.model import Activity, Row, Section

HEADER = (
    "Decision requests",
    "Status of implementation",
    "Next steps",
    "Voluntary funding needed (Yes/No) If yes, status of voluntary funding "
    "[not yet funded] [partly funded] [fully funded]",
    "Implications for next steps, if no or part of the funding has been received.",
)


def _fill(cell, lines: Iterable[str]) -> None:
    lines = list(lines)
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.style = "List Bullet"
        p.add_run(line)


def _row_lines(row: Row) -> tuple[tuple[str, ...], ...]:
    return (row.requests, row.status, row.next_steps, row.funding_lines, row.implications)


def render_docx(
    title: str,
    sections: Iterable[Section],
    activities: Iterable[Activity],
    footnotes: Iterable[str] = (),
) -> bytes:
    """The .docx file's bytes."""
    import docx

    document = docx.Document()
    sections = list(sections)
    activities = list(activities)
    by_section = {s.number: [a for a in activities if a.section == s.number] for s in sections}
    if title:
        document.add_heading(title, level=1)
    for s in sections:
        if by_section[s.number]:
            document.add_heading(f"{s.number}. {s.title}", level=3)
            for a in by_section[s.number]:
                document.add_paragraph(f"{a.title} ({a.code})")
    notes = list(footnotes)
    if notes:
        document.add_paragraph("---")
        for n in notes:
            document.add_paragraph(n)
    for s in sections:
        if not by_section[s.number]:
            continue
        document.add_heading(f"{s.number}. {s.title}", level=2)
        table = document.add_table(rows=1, cols=len(HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for a in by_section[s.number]:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.paragraphs[0].add_run(f"{a.title} ({a.code})").bold = True
            for row in a.rows:
                for cell, lines in zip(table.add_row().cells, _row_lines(row), strict=True):
                    # Never an empty first cell: it would read back as a continuation row.
                    _fill(cell, lines)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
