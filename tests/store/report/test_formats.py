"""Word, Word HTML and pipe tables import to the bundled report's activities; structure cases."""

from __future__ import annotations

from html import escape

import docx
import pytest

from store.errors import ReportError
from store.report.reader import bundled_report_path, parse_report, read_report

COLUMNS = [
    "Decision requests",
    "Status of implementation",
    "Next steps",
    "Voluntary funding",
    "Implications for next steps",
]


@pytest.fixture(scope="module")
def bundled():
    return read_report(bundled_report_path())


def _row_columns(row):
    return [row.requests, row.status, row.next_steps, row.funding_lines, row.implications]


def test_a_word_document_imports_to_the_same_activities(bundled, tmp_path):
    # Built as Word would hold it: headings, a table per section, merged bold title rows,
    # bullet paragraphs in cells.
    d = docx.Document()
    d.add_heading(bundled.title, level=1)
    for s in bundled.sections:
        d.add_heading(f"{s.number}. {s.title}", level=2)
        table = d.add_table(rows=1, cols=5)
        for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for a in [a for a in bundled.activities if a.section == s.number]:
            cells = table.add_row().cells
            cells[0].merge(cells[4]).paragraphs[0].add_run(f"{a.title} ({a.code})").bold = True
            for row in a.rows:
                for cell, lines in zip(table.add_row().cells, _row_columns(row), strict=True):
                    for i, line in enumerate(lines):
                        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                        p.style = "List Bullet"
                        p.add_run(line)
    path = tmp_path / "report.docx"
    d.save(path)
    got = read_report(path)
    assert got.activities == bundled.activities
    assert got.deadlines == bundled.deadlines
    assert got.title == bundled.title


def test_word_html_imports_to_the_same_activities(bundled, tmp_path):
    parts = [
        "<html><head><style>p {margin:0}</style></head><body>",
        f"<h1>{escape(bundled.title)}</h1>",
    ]
    for s in bundled.sections:
        parts.append(f"<h2>{s.number}. {escape(s.title)}</h2><table class=MsoTableGrid><tr>")
        parts += [f"<td><p class=MsoNormal><b>{c}</b></p></td>" for c in COLUMNS]
        parts.append("</tr>")
        for a in [a for a in bundled.activities if a.section == s.number]:
            parts.append(f"<tr><td colspan=5><p><b>{escape(a.title)} ({a.code})</b></p></td></tr>")
            for row in a.rows:
                parts.append("<tr>")
                for lines in _row_columns(row):
                    body = "".join(
                        f"<p class=MsoListParagraph>·&nbsp;{escape(x)}</p>" for x in lines
                    )
                    parts.append(f"<td>{body or '&nbsp;'}</td>")
                parts.append("</tr>")
        parts.append("</table>")
    path = tmp_path / "report.html"
    path.write_text("".join(parts) + "</body></html>", encoding="utf-8")
    got = read_report(path)
    assert got.activities == bundled.activities
    assert got.deadlines == bundled.deadlines


HEADER = "Decision requests\tStatus of implementation\tNext steps\tVoluntary funding\tImplications"


def _report(*lines: str) -> str:
    return "\n".join(lines)


def test_nbsp_title_row_starts_a_new_activity():
    got = parse_report(
        _report(
            "## III. Regional centres",
            HEADER,
            "<b>Meetings (S8)</b>\t&nbsp;\t&nbsp;\t&nbsp;\t&nbsp;",
            "<ul><li>Meet</li></ul>\t<ul><li>Met</li></ul>\t<ul><li>More</li></ul>\t<ul><li>No</li></ul>\t<ul><li>N/A</li></ul>",
            "<b>South-South cooperation (S9)</b>\t&nbsp;\t\xa0\t&nbsp;\t",
            "<ul><li>Cooperate</li></ul>\t<ul><li>Done</li></ul>\t\t<ul><li>No</li></ul>\t",
        ),
        "r.md",
    )
    assert [a.code for a in got.activities] == ["S8", "S9"]


def test_a_roman_heading_without_hash_is_a_section():
    got = parse_report(
        _report(
            "## II. Scientific",
            HEADER,
            "<b>Guidelines (S7)</b>\t\t\t\t",
            "<ul><li>Update</li></ul>\t<ul><li>Started</li></ul>\t\t<ul><li>No</li></ul>\t",
            "III. Regional centres",
            HEADER,
            "<b>Meetings (S8)</b>\t\t\t\t",
            "<ul><li>Meet</li></ul>\t<ul><li>Met</li></ul>\t\t<ul><li>No</li></ul>\t",
        ),
        "r.md",
    )
    assert [(a.code, a.section) for a in got.activities] == [("S7", "II"), ("S8", "III")]


def test_a_plain_row_with_header_words_is_kept():
    plain = "The implementation of next steps\tStatus of implementation is being reviewed\tNext steps follow\tNo funding\tNone"
    got = parse_report(
        _report(
            "## I. A",
            HEADER,
            "<b>T (S1)</b>\t\t\t\t",
            plain,
            HEADER,
            "<b>U (S2)</b>\t\t\t\t",
            plain,
        ),
        "r.md",
    )
    assert [len(a.rows) for a in got.activities] == [1, 1]
    assert got.activities[0].rows[0].requests == ("The implementation of next steps",)


def test_bom_and_dashed_codes():
    got = parse_report(
        "\ufeff## **The title**\n## I. A\n" + HEADER + "\n<b>Review (S-17)</b>\t\t\t\t\n"
        "<ul><li>Review</li></ul>\t\t\t<ul><li>No</li></ul>\t",
        "r.md",
    )
    assert got.title == "The title"
    assert got.activities[0].code == "S17"


def test_a_code_no_command_accepts_is_refused_with_a_line():
    with pytest.raises(ReportError, match=r"r\.md, line 3: the code \"S4a\""):
        parse_report(
            "## I. A\n" + HEADER + "\n<b>T (S4a)</b>\t\t\t\t\n<ul><li>x</li></ul>\t\t\t\t", "r.md"
        )


def test_a_truncated_file_is_refused(tmp_path):
    lines = bundled_report_path().read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "cut.md"
    cut.write_text("\n".join(lines[:60]), encoding="utf-8")
    with pytest.raises(ReportError, match="cut short") as err:
        read_report(cut)
    assert "S17" in str(err.value) and "\n" not in str(err.value)


def test_the_bundled_report_notes_its_title_mismatch(bundled):
    assert bundled.notes == (
        'S11: the contents call it "Joint Information Technology", the table '
        '"Joint information technology services"; the table\'s title is used',
    )


def test_word_numbers_its_section_headings_itself(tmp_path):
    # Word keeps "I." and "II." of numbered headings in numbering.xml, not in the text.
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0">'
            '<w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/>'
            "</w:lvl></w:abstractNum>"
        )
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    for title, code in (("Technical assistance", "S1"), ("Scientific activities", "S6")):
        heading = d.add_heading(title, level=2)
        heading._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
        )
        table = d.add_table(rows=1, cols=5)
        for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
            cell.text = text
        cells = table.add_row().cells
        cells[0].merge(cells[4]).text = f"An activity ({code})"
        for cell, text in zip(
            table.add_row().cells, ["Do", "Started", "Go on", "No", "None"], strict=True
        ):
            cell.paragraphs[0].style = "List Bullet"
            cell.paragraphs[0].add_run(text)
    path = tmp_path / "numbered.docx"
    d.save(path)
    got = read_report(path)
    assert [(s.number, s.title) for s in got.sections] == [
        ("I", "Technical assistance"),
        ("II", "Scientific activities"),
    ]
    assert [(a.code, a.section) for a in got.activities] == [("S1", "I"), ("S6", "II")]
