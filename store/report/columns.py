"""Table rows in any format: which column a header cell names, empty cells, codes, page breaks."""

from __future__ import annotations

import re

from store.report.cells import inline_text, parse_cell

_CODE = re.compile(r"[A-Za-z]+\d+")

# Which column a header cell names, by the words in it (first match wins).
_HEADER_WORDS = (
    ("requests", re.compile(r"request|decision", re.I)),
    # Before next_steps and funding: its header reads "Implications for next steps, if ... funding".
    ("implications", re.compile(r"implication|consequence", re.I)),
    ("funding", re.compile(r"funding|funded", re.I)),
    ("next_steps", re.compile(r"next\s+steps?", re.I)),
    ("status", re.compile(r"status|implementation|progress", re.I)),
)
_TERMINAL = (".", "!", "?", ";", ":")


def blank(cell: str) -> bool:
    """Empty once read: "&nbsp;" (what Word and HTML exports write) counts as empty."""
    return not cell.strip() or not inline_text(cell).strip()


def normal(text: str) -> str:
    """Text compared loosely: case, punctuation and "&" for "and" do not count."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.replace("&", " and ")).casefold().split())


def code_of(raw: str) -> str | None:
    """ "S-17", "s 17", "S.17" -> "S17"; None for what no command could name ("S4a")."""
    code = re.sub(r"[\s\-.–]", "", raw).upper()
    return code if _CODE.fullmatch(code) else None


def header_columns(cells: list[str] | tuple[str, ...]) -> list[str | None] | None:
    """Map each header cell to a column name, or None if this is not a header row."""
    if not cells or "<li" in cells[0].lower() or len(parse_cell(cells[0])[0]) != 1:
        return None
    names: list[str | None] = []
    for cell in cells:
        text = inline_text(cell)
        name = next((n for n, rx in _HEADER_WORDS if rx.search(text)), None)
        names.append(name if name not in names else None)
    return names if "requests" in names and len([n for n in names if n]) >= 3 else None


def merge_lines(previous: list[str], lines: list[str], structured: bool) -> list[str]:
    """Append a continuation cell's lines, rejoining a line a page break cut in two."""
    if not lines:
        return previous
    if not previous:
        return previous + lines
    last, first = previous[-1], lines[0]
    cut = not structured or not last.endswith(_TERMINAL) or first[:1].islower()
    if not cut:
        return previous + lines
    joined = last + first if last.endswith("-") and first[:1].islower() else f"{last} {first}"
    return previous[:-1] + [joined] + lines[1:]
