"""A Word document (.docx, read with python-docx) as the reader's items: paragraphs and table rows.

Headings keep their level as markdown "#"s; a cell's paragraphs become <p> or,
for list paragraphs, <li>, and bold runs <b>, so cells read exactly as the
HTML cells of the markdown report do.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from pathlib import Path

from store.errors import ReportError
from store.report.sources import Item


def _is_list(paragraph) -> bool:
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    ppr = paragraph._p.pPr
    return "List" in style or (ppr is not None and ppr.numPr is not None)


def _runs_html(paragraph) -> str:
    out = []
    for run in paragraph.runs:
        text = escape(run.text, quote=False)
        if not text:
            continue
        if run.font.superscript and run.text.strip().isdigit():
            text = f"<sup>{text}</sup>"
        out.append(f"<b>{text}</b>" if run.bold else text)
    return "".join(out).replace("</b><b>", "")


def _cell_html(cell) -> str:
    paragraphs = [p for p in cell.paragraphs if p.text.strip()]
    if len(paragraphs) == 1 and not _is_list(paragraphs[0]):
        return _runs_html(paragraphs[0])  # a bare line: a title row, or text a page break cut
    parts = []
    for p in paragraphs:
        tag = "li" if _is_list(p) else "p"
        parts.append(f"<{tag}>{_runs_html(p)}</{tag}>")
    return "".join(parts)


def _heading_level(paragraph) -> int:
    name = (paragraph.style.name or "") if paragraph.style is not None else ""
    if name == "Title":
        return 1
    if name.startswith("Heading "):
        number = name.removeprefix("Heading ").strip()
        return int(number) if number.isdigit() else 0
    return 0


def docx_items(path: Path) -> Iterator[Item]:
    """Paragraphs and table rows in document order; merged cells are read once."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # a dependency of brs; only a broken install lacks it
        raise ReportError(f"{path}: reading Word files needs python-docx; reinstall brs.") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile, KeyError or its own errors
        raise ReportError(
            f"{path}: not a readable Word document ({type(exc).__name__}); "
            "save it from Word as .docx."
        ) from None
    paragraphs = tables = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rpartition("}")[2]
        if tag == "p":
            paragraphs += 1
            p = Paragraph(child, document)
            text = p.text.strip()
            if text:
                level = _heading_level(p)
                yield Item(
                    f"paragraph {paragraphs}", text=("#" * level + " " if level else "") + text
                )
        elif tag == "tbl":
            tables += 1
            table = Table(child, document)
            for r, row in enumerate(table.rows, start=1):
                cells: list[str] = []
                seen: list = []  # the cells' XML elements; kept alive so identity holds
                for cell in row.cells:
                    # A merged cell (a title row spanning the table) repeats in row.cells.
                    cells.append("" if any(cell._tc is tc for tc in seen) else _cell_html(cell))
                    seen.append(cell._tc)
                yield Item(f"table {tables}, row {r}", cells=tuple(cells))
