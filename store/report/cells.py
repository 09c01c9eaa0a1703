"""Turn one table cell's HTML (lists, paragraphs, inline markup) into lines of plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that start a new line of their own; everything else is inline.
_BLOCK_TAGS = frozenset({"li", "p", "div", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4"})
_BULLET = re.compile(r"^(?:[•·▪◦‣∙\-*–]\s+)+")
_SPACE = re.compile(r"\s+")


class _CellParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._buf: list[str] = []
        self.saw_block = False
        self._in_sup = False

    def _flush(self) -> None:
        text = _clean("".join(self._buf))
        if text:
            self.lines.append(text)
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS:
            self.saw_block = True
            self._flush()
        elif tag == "br":
            self._flush()
        elif tag == "sup":
            self._in_sup = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "sup":
            self._in_sup = False

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self._flush()

    def handle_data(self, data: str) -> None:
        # A superscript number is a footnote mark ("2011<sup>1</sup>"); "1<sup>st</sup>" stays.
        if self._in_sup and data.strip().isdigit():
            return
        self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _clean(text: str) -> str:
    text = _SPACE.sub(" ", text.replace("\xa0", " ")).strip()
    return _BULLET.sub("", text).strip()


def parse_cell(html: str) -> tuple[list[str], bool]:
    """Return the cell's lines and whether it was structured (a list or paragraphs).

    A cell of bare text is what a page break leaves behind when it cuts a line
    in two, so callers treat it as the rest of the line above.
    """
    parser = _CellParser()
    parser.feed(html)
    parser.close()
    return parser.lines, parser.saw_block


def inline_text(html: str) -> str:
    """The text of a fragment such as a heading or a bold title, as one line."""
    lines, _ = parse_cell(html)
    return " ".join(lines)
