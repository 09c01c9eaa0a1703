"""The report's formats as one stream of items: text lines and table rows, each with a reference.

Markdown with tab-separated rows (the bundled report), markdown pipe tables and
the HTML Word saves all become the same items, so one reader builds the model
and its errors point at a line, or at a table, row and cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser


@dataclass(frozen=True)
class Item:
    ref: str  # "line 12", "table 2, row 3"
    text: str | None = None  # a line of text outside tables (headings keep their "#")
    cells: tuple[str, ...] | None = None  # a table row: each cell's HTML


_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_MD_BOLD = re.compile(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*")


def _pipe_cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = [c.strip().replace("\\|", "|") for c in _PIPE_SPLIT.split(body)]
    # Markdown bold is a title's <b>; "\*" is a star the text really has.
    return tuple(_MD_BOLD.sub(r"<b>\1</b>", c).replace("\\*", "*") for c in cells)


def text_items(text: str) -> Iterator[Item]:
    """Markdown: tab-separated or pipe-table rows, and the lines between them."""
    for line_no, raw in enumerate(text.splitlines(), start=1):
        ref = f"line {line_no}"
        if "\t" in raw:
            yield Item(ref, cells=tuple(raw.split("\t")))
        elif raw.lstrip().startswith("|") and raw.count("|") >= 2:
            if not _PIPE_RULE.match(raw):
                yield Item(ref, cells=_pipe_cells(raw))
        elif raw.strip():
            yield Item(ref, text=raw.strip())


_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_SKIP = frozenset({"style", "script", "head", "title", "xml"})


class _HTMLItems(HTMLParser):
    """Word's HTML: headings and paragraphs outside tables become lines, <tr> become rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []
        self.tables = 0
        self.rows = 0
        self.depth = 0  # nested tables are read as the text of their cell
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.line: list[str] = []
        self.heading = 0
        self.skip = 0
        self.sup = False

    def _flush_line(self) -> None:
        text = " ".join("".join(self.line).split())
        if text:
            prefix = "#" * self.heading + " " if self.heading else ""
            self.items.append(Item(f"line {self.getpos()[0]}", text=prefix + text))
        self.line = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "table":
            self.depth += 1
            if self.depth == 1:
                self._flush_line()
                self.tables += 1
                self.rows = 0
        elif tag == "tr" and self.depth == 1:
            self.row = []
            self.rows += 1
        elif tag in ("td", "th") and self.depth == 1 and self.row is not None:
            self.cell = []
        elif self.cell is not None:
            self.cell.append(self.get_starttag_text() or "")
        elif tag in _HEADINGS or tag in ("p", "div", "br", "li"):
            self._flush_line()
            self.heading = _HEADINGS.get(tag, 0)
        elif tag == "hr":
            self._flush_line()
            self.items.append(Item(f"line {self.getpos()[0]}", text="---"))
        elif tag == "sup":
            self.sup = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "table":
            self.depth = max(0, self.depth - 1)
        elif tag in ("td", "th") and self.depth == 1 and self.cell is not None:
            assert self.row is not None
            self.row.append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.depth == 1 and self.row is not None:
            ref = f"table {self.tables}, row {self.rows}"
            self.items.append(Item(ref, cells=tuple(self.row)))
            self.row = None
        elif self.cell is not None:
            self.cell.append(f"</{tag}>")
        elif tag in _HEADINGS or tag in ("p", "div", "li"):
            self._flush_line()
            self.heading = 0
        elif tag == "sup":
            self.sup = False

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(escape(data, quote=False))
        elif self.depth == 0 and not (self.sup and data.strip().isdigit()):
            self.line.append(data)  # a superscript number outside a cell is a footnote mark

    def close(self) -> None:
        super().close()
        self._flush_line()


def html_items(text: str) -> list[Item]:
    """The items of an HTML document (what Word writes with "Save as Web Page")."""
    parser = _HTMLItems()
    parser.feed(text)
    parser.close()
    return parser.items
