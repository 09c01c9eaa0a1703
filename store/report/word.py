"""A Word document (.docx, read with python-docx) as the reader's items: paragraphs and table rows.

Headings keep their level as markdown "#"s; a cell's paragraphs become <p> or,
for list paragraphs, <li>, and bold runs <b>, so cells read exactly as the
HTML cells of the markdown report do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape
from pathlib import Path

from store.errors import ReportError
from store.report.sources import Item

_NUMBERED = re.compile(r"^(?:[IVXLC]+|[A-Z]|\d+)\.\s")


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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _formats(document) -> dict[str, dict[str, str]]:
    """numId -> {level: number format} from the document's numbering definitions."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for a in root.findall(f"{_W}abstractNum"):
        levels = {}
        for lvl in a.findall(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            levels[lvl.get(f"{_W}ilvl")] = fmt.get(f"{_W}val") if fmt is not None else "decimal"
        abstract[a.get(f"{_W}abstractNumId")] = levels
    out = {}
    for num in root.findall(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is not None:
            out[num.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})
    return out


def _num_pr(paragraph):
    """The paragraph's numbering (numId, level), its own or its style's, else None."""
    style = paragraph.style
    for element in [paragraph._p, *([style.element] if style is not None else [])]:
        ppr = element.pPr
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            level = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
            return str(ppr.numPr.numId.val), str(level)
    return None


class _Numbers:
    """Word's automatic heading numbers ("I.", "II." live in numbering.xml, not in the text)."""

    def __init__(self, document) -> None:
        self.formats = _formats(document)
        self.counts: dict[tuple[str, str], int] = {}

    def label(self, paragraph, heading: bool) -> str:
        found = _num_pr(paragraph)
        if found is None or found[0] not in self.formats:
            return ""
        num_id, level = found
        fmt = self.formats[num_id].get(level, "decimal")
        if not heading and fmt != "upperRoman":
            return ""  # a numbered list line, not a section's number
        n = self.counts[found] = self.counts.get(found, 0) + 1
        for key in [k for k in self.counts if k[0] == num_id and int(k[1]) > int(level)]:
            del self.counts[key]  # a new section restarts its subsections
        if fmt in ("upperRoman", "lowerRoman"):
            text = _roman(n)
            return (text if fmt == "upperRoman" else text.lower()) + ". "
        if fmt in ("upperLetter", "lowerLetter"):
            letter = chr(ord("A") + (n - 1) % 26)
            return (letter if fmt == "upperLetter" else letter.lower()) + ". "
        return f"{n}. "


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
    numbers = _Numbers(document)
    for child in document.element.body.iterchildren():
        tag = child.tag.rpartition("}")[2]
        if tag == "p":
            paragraphs += 1
            p = Paragraph(child, document)
            text = p.text.strip()
            if text:
                level = _heading_level(p)
                label = numbers.label(p, heading=level > 0)
                if label and not _NUMBERED.match(text):
                    text = label + text
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
