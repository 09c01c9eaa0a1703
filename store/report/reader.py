"""Read a status report (markdown, Word .docx or Word HTML) into a Report.

Nothing here knows the bundled report's activities: sections, codes, columns
and rows all come from the file, so a later report with other activities,
codes, dates and funding imports the same way. What could not be read is
kept in the report's notes for the import to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from store.errors import ReportError
from store.model import Activity, Report, Row, Section
from store.report.cells import inline_text, parse_cell
from store.report.columns import blank, code_of, header_columns, merge_lines, normal
from store.report.deadlines import extract_deadlines
from store.report.funding import read_funding, unclear_words
from store.report.sources import Item, html_items, text_items

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SECTION = re.compile(r"^(?P<num>[IVXLC]+|[A-Z]|\d+)\.\s+(?P<title>.+)$")
# A section heading that lost its "#": a roman number and a short title, on a line of its own.
_BARE_SECTION = re.compile(r"^(?P<num>[IVXLC]{1,6})\.\s+(?P<title>[^.()]{2,100})$")
_CODE_AT_END = re.compile(
    r"^(?P<title>.*\S)\s*\((?P<code>[A-Za-z]{1,5}\s?[-.–]?\s?\d{1,4}[A-Za-z]?)\)\s*$"
)
_EMPHASIS = re.compile(r"(\*\*|__)")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


@dataclass
class _RowDraft:
    cells: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _ActivityDraft:
    code: str
    title: str
    section: Section
    ref: str  # where its title row is: "line 12", "table 2, row 3"
    rows: list[_RowDraft] = field(default_factory=list)


def _heading_text(raw: str) -> str:
    return inline_text(_EMPHASIS.sub("", raw)).strip()


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.title = ""
        self.sections: dict[str, Section] = {}
        self.section: Section | None = None
        self.toc: list[tuple[str, str, str]] = []
        self.footnotes: list[str] = []
        self.columns: list[str | None] | None = None
        self.header_text: list[str] = []
        self.activities: list[_ActivityDraft] = []
        self.in_footnotes = False
        self.notes: list[str] = []

    def fail(self, ref: str, why: str) -> ReportError:
        return ReportError(f"{self.source}, {ref}: {why}")

    def read(self, items: Iterable[Item]) -> None:
        for item in items:
            if item.cells is not None:
                self.table_row(item.ref, list(item.cells))
            elif item.text:
                self.text_line(item.ref, item.text)

    def start_section(self, num: str, title: str) -> None:
        self.section = self.sections[num] = Section(num, title)
        self.columns = None  # each section's table brings its own header row
        self.in_footnotes = False

    def text_line(self, ref: str, line: str) -> None:
        m = _HEADING.match(line)
        if m:
            text = _heading_text(m.group(2))
            sm = _SECTION.match(text)
            if sm:
                self.start_section(sm.group("num").upper(), sm.group("title"))
            elif self.section and _CODE_AT_END.match(text) and self.title:
                self.activity_title(ref, text)  # "### Title (S1)" in readable markdown
            elif not self.title and normal(text) != "contents":
                self.title = text
            return
        if _RULE.match(line):
            self.in_footnotes = True
            return
        text = inline_text(line)
        bare = _BARE_SECTION.match(_heading_text(line))
        if bare and not _CODE_AT_END.match(text):
            self.start_section(bare.group("num"), bare.group("title").strip())
            return
        cm = _CODE_AT_END.match(text)
        if cm and self.section and not self.in_footnotes:
            code = code_of(cm.group("code"))
            if code:
                self.toc.append((self.section.number, cm.group("title"), code))
        elif self.in_footnotes:
            self.footnotes.append(text)

    def is_repeated_header(self, cells: list[str]) -> bool:
        texts = [normal(inline_text(c)) for c in cells if not blank(c)]
        return texts == self.header_text

    def table_row(self, ref: str, cells: list[str]) -> None:
        if self.columns is not None:
            if self.is_repeated_header(cells):
                return  # the header again after a page break
        else:
            header = header_columns(cells)
            if header:
                self.columns = header
                self.header_text = [normal(inline_text(c)) for c in cells if not blank(c)]
                return
            raise self.fail(
                ref,
                "a table row before any header row; a table starts with a header row naming "
                'its columns: "Decision requests", "Status of implementation", "Next steps", ...',
            )
        # "<ul></ul>" is an empty cell that still starts a row (a row without requests).
        first = cells[0] if not blank(cells[0]) or "<ul" in cells[0].lower() else ""
        rest = [c for c in cells[1:] if not blank(c)]
        if first and not rest:
            lines, structured = parse_cell(first)
            if not structured or (len(lines) == 1 and _CODE_AT_END.match(lines[0])):
                self.activity_title(ref, first)
                return
        if not self.activities:
            raise self.fail(
                ref, "a table row before any activity title row such as <b>Title (S1)</b>"
            )
        current = self.activities[-1]
        if first:
            current.rows.append(_RowDraft())
        elif not current.rows:
            raise self.fail(
                ref, f"a continuation row (empty first cell) before any row of {current.code}"
            )
        row = current.rows[-1]
        for i, cell in enumerate(cells):
            name = self.columns[i] if i < len(self.columns) else None
            if name is None or blank(cell):
                continue
            lines, structured = parse_cell(cell)
            row.cells[name] = merge_lines(row.cells.get(name, []), lines, structured or bool(first))

    def activity_title(self, ref: str, cell: str) -> None:
        text = inline_text(cell)
        m = _CODE_AT_END.match(text)
        if not m:
            raise self.fail(
                ref,
                f'the activity title "{text[:60]}" has no code at its end; '
                'write it like "<b>Title (S1)</b>".',
            )
        code = code_of(m.group("code"))
        if code is None:
            raise self.fail(
                ref,
                f'the code "{m.group("code")}" of "{m.group("title")[:40]}" is not letters '
                "then digits; write it like (S17).",
            )
        if self.section is None:
            raise self.fail(
                ref,
                f'activity {code} comes before any section heading such as "## I. Title".',
            )
        if any(a.code == code for a in self.activities):
            raise self.fail(ref, f"activity {code} appears twice.")
        self.activities.append(_ActivityDraft(code, m.group("title"), self.section, ref))

    def check_contents(self) -> None:
        """The contents list against the tables: a missing activity means a cut-short file."""
        found = {a.code: a for a in self.activities}
        missing = [code for _, _, code in self.toc if code not in found]
        if missing:
            raise ReportError(
                f"{self.source}: the contents list {', '.join(missing)} but no table has "
                f"{'it' if len(missing) == 1 else 'them'}; the file may be cut short. "
                "Import the whole report, or remove them from the contents."
            )
        for _, title, code in self.toc:
            if normal(title) != normal(found[code].title):
                self.notes.append(
                    f'{code}: the contents call it "{title}", the table "{found[code].title}"; '
                    "the table's title is used"
                )


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


def build_report(items: Iterable[Item], source: str) -> Report:
    """The Report of a stream of items from any format; `source` names it in errors."""
    reader = _Reader(source)
    reader.read(items)
    if not reader.activities:
        raise ReportError(
            f'{source}: no activities found; expected section headings such as "## I. Title" '
            "followed by a table (tab-separated rows, a pipe table, or a Word or HTML table)."
        )
    for a in reader.activities:
        if not a.rows:
            raise reader.fail(a.ref, f"activity {a.code} has a title row but no rows under it.")
    reader.check_contents()
    activities = tuple(_build(d, i) for i, d in enumerate(reader.activities))
    notes = reader.notes
    for act in activities:
        for n, built in enumerate(act.rows, start=1):
            for words in unclear_words(built.funding):
                which = f", request {n}" if len(act.rows) > 1 else ""
                notes.append(
                    f'{act.code}{which}: funding words "{words}" name no status; kept as unclear'
                )
    deadlines = tuple(dl for a in activities for dl in extract_deadlines(a, notes))
    return Report(
        title=reader.title,
        sections=tuple(reader.sections.values()),
        activities=activities,
        deadlines=deadlines,
        footnotes=tuple(reader.footnotes),
        toc=tuple(reader.toc),
        notes=tuple(notes),
    )


def parse_report(text: str, source: str = "<report>") -> Report:
    """Parse a markdown report's text (tab-separated or pipe-table rows)."""
    return build_report(text_items(text.lstrip("\ufeff")), source)


def read_report(path: Path) -> Report:
    """Read and parse a report file by its kind (.docx, .html/.htm, else markdown text).

    Any failure is a ReportError naming the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from store.report.word import docx_items

        if not path.is_file():
            raise ReportError(f"{path}: cannot read the file (no such file).")
        return build_report(list(docx_items(path)), str(path))
    if suffix == ".doc":
        raise ReportError(f"{path}: an old Word .doc file; save it from Word as .docx.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReportError(
            f"{path}: not UTF-8 text (byte {e.start}); save the report as UTF-8."
        ) from None
    except OSError as e:
        raise ReportError(f"{path}: cannot read the file ({e.strerror}).") from None
    if suffix in (".html", ".htm") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return build_report(html_items(text), str(path))
    return parse_report(text, str(path))


def bundled_report_path() -> Path:
    """The 2012 status report shipped with the package as its default data."""
    from importlib.resources import files

    return Path(str(files("store.report") / "data" / "brs-synergies-status-2012.md"))
