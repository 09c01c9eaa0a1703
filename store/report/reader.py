"""Read a status report (markdown headings plus tab-separated HTML table rows) into a Report.

Nothing here knows the bundled report's activities: sections, codes, columns
and rows all come from the file, so a later report with other activities,
codes, dates and funding imports the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from store.errors import ReportError
from store.model import Activity, Report, Row, Section
from store.report.cells import inline_text, parse_cell
from store.report.deadlines import extract_deadlines
from store.report.funding import read_funding

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SECTION = re.compile(r"^(?P<num>[IVXLC]+|[A-Z]|\d+)\.\s+(?P<title>.+)$")
_CODE_AT_END = re.compile(r"^(?P<title>.*\S)\s*\((?P<code>[A-Za-z]{1,5}[-.]?\d{1,4}[a-z]?)\)\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")

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


@dataclass
class _RowDraft:
    cells: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _ActivityDraft:
    code: str
    title: str
    section: Section
    line: int
    rows: list[_RowDraft] = field(default_factory=list)


def _heading_text(raw: str) -> str:
    return inline_text(_EMPHASIS.sub("", raw)).strip()


def _header_columns(cells: list[str]) -> list[str | None] | None:
    """Map each header cell to a column name, or None if this is not a header row."""
    if not cells or "<" in cells[0] or not cells[0].strip():
        return None
    names: list[str | None] = []
    for cell in cells:
        text = inline_text(cell)
        name = next((n for n, rx in _HEADER_WORDS if rx.search(text)), None)
        names.append(name if name not in names else None)
    return names if "requests" in names and len([n for n in names if n]) >= 3 else None


def _merge(previous: list[str], lines: list[str], structured: bool) -> list[str]:
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


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.title = ""
        self.sections: dict[str, Section] = {}
        self.section: Section | None = None
        self.toc: list[tuple[str, str, str]] = []
        self.footnotes: list[str] = []
        self.columns: list[str | None] | None = None
        self.activities: list[_ActivityDraft] = []
        self.in_footnotes = False

    def fail(self, line_no: int, why: str) -> ReportError:
        return ReportError(f"{self.source}, line {line_no}: {why}")

    def read(self, text: str) -> None:
        for line_no, raw in enumerate(text.splitlines(), start=1):
            if "\t" in raw:
                self.table_line(line_no, raw)
            elif raw.strip():
                self.text_line(line_no, raw.strip())

    def text_line(self, line_no: int, line: str) -> None:
        m = _HEADING.match(line)
        if m:
            text = _heading_text(m.group(2))
            sm = _SECTION.match(text)
            if sm:
                num = sm.group("num").upper()
                self.section = self.sections[num] = Section(num, sm.group("title"))
                self.columns = None  # each section's table brings its own header row
                self.in_footnotes = False
            elif not self.title:
                self.title = text
            return
        if _RULE.match(line):
            self.in_footnotes = True
            return
        text = inline_text(line)
        cm = _CODE_AT_END.match(text)
        if cm and self.section and not self.in_footnotes:
            self.toc.append((self.section.number, cm.group("title"), cm.group("code").upper()))
        elif self.in_footnotes:
            self.footnotes.append(text)

    def table_line(self, line_no: int, raw: str) -> None:
        cells = raw.split("\t")
        header = _header_columns(cells)
        if header:
            if self.columns and header != self.columns:
                raise self.fail(line_no, "this header row names other columns than the one above")
            self.columns = header
            return
        if self.columns is None:
            raise self.fail(
                line_no,
                "a table row before any header row; a table starts with a row such as "
                '"Decision requests<TAB>Status of implementation<TAB>Next steps<TAB>...".',
            )
        rest = [c for c in cells[1:] if c.strip()]
        first = cells[0].strip()
        if first and not rest and not parse_cell(first)[1]:
            self.activity_title(line_no, first)
            return
        if not self.activities:
            raise self.fail(
                line_no, "a table row before any activity title row such as <b>Title (S1)</b>"
            )
        current = self.activities[-1]
        if first:
            current.rows.append(_RowDraft())
        elif not current.rows:
            raise self.fail(
                line_no, f"a continuation row (empty first cell) before any row of {current.code}"
            )
        row = current.rows[-1]
        for i, cell in enumerate(cells):
            name = self.columns[i] if i < len(self.columns) else None
            if name is None or not cell.strip():
                continue
            lines, structured = parse_cell(cell)
            row.cells[name] = _merge(row.cells.get(name, []), lines, structured or bool(first))

    def activity_title(self, line_no: int, cell: str) -> None:
        text = inline_text(cell)
        m = _CODE_AT_END.match(text)
        if not m:
            raise self.fail(
                line_no,
                f'the activity title "{text[:60]}" has no code at its end; '
                'write it like "<b>Title (S1)</b>".',
            )
        if self.section is None:
            raise self.fail(
                line_no,
                f"activity {m.group('code')} comes before any section heading "
                'such as "## I. Title".',
            )
        code = m.group("code").upper()
        if any(a.code == code for a in self.activities):
            raise self.fail(line_no, f"activity {code} appears twice.")
        self.activities.append(_ActivityDraft(code, m.group("title"), self.section, line_no))


def _build(draft: _ActivityDraft, order: int) -> Activity:
    rows = []
    for r in draft.rows:
        c = {k: tuple(v) for k, v in r.cells.items()}
        funding_lines = c.get("funding", ())
        rows.append(
            Row(
                requests=c.get("requests", ()),
                status=c.get("status", ()),
                next_steps=c.get("next_steps", ()),
                funding_lines=funding_lines,
                implications=c.get("implications", ()),
                funding=read_funding(funding_lines),
            )
        )
    return Activity(
        draft.code, draft.title, draft.section.number, draft.section.title, tuple(rows), order
    )


def parse_report(text: str, source: str = "<report>") -> Report:
    """Parse a report's text; `source` names it in error messages."""
    reader = _Reader(source)
    reader.read(text)
    if not reader.activities:
        raise ReportError(
            f'{source}: no activities found; expected section headings such as "## I. Title" '
            "followed by tab-separated table rows."
        )
    for a in reader.activities:
        if not a.rows:
            raise reader.fail(a.line, f"activity {a.code} has a title row but no rows under it.")
    activities = tuple(_build(d, i) for i, d in enumerate(reader.activities))
    deadlines = tuple(dl for a in activities for dl in extract_deadlines(a))
    return Report(
        title=reader.title,
        sections=tuple(reader.sections.values()),
        activities=activities,
        deadlines=deadlines,
        footnotes=tuple(reader.footnotes),
        toc=tuple(reader.toc),
    )


def read_report(path: Path) -> Report:
    """Read and parse a report file; any failure is a ReportError naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ReportError(
            f"{path}: not UTF-8 text (byte {e.start}); save the report as UTF-8."
        ) from None
    except OSError as e:
        raise ReportError(f"{path}: cannot read the file ({e.strerror}).") from None
    return parse_report(text, str(path))


def bundled_report_path() -> Path:
    """The 2012 status report shipped with the package as its default data."""
    from importlib.resources import files

    return Path(str(files("store.report") / "data" / "brs-synergies-status-2012.md"))
