"""docx and markdown exports read back through the importer to the same facts."""

from __future__ import annotations

from datetime import date

import docx

from bot.exports.docx import render_docx
from bot.exports.markdown import render_markdown
from store.report.reader import bundled_report_path, parse_report, read_report


def test_docx_round_trip(tmp_path):
    original = read_report(bundled_report_path())
    data = render_docx(original.title, original.sections, original.activities, original.footnotes)
    path = tmp_path / "out.docx"
    path.write_bytes(data)
    again = read_report(path)
    assert again.activities == original.activities
    assert again.deadlines == original.deadlines
    assert again.sections == original.sections
    d = docx.Document(str(path))
    assert len(d.tables) == len(original.sections)
    assert [len(t.columns) for t in d.tables] == [5] * len(original.sections)


def test_markdown_is_readable_and_reads_back():
    original = read_report(bundled_report_path())
    md = render_markdown(original.title, original.sections, original.activities, original.footnotes)
    assert "\t" not in md  # pipe tables, not tab-separated HTML rows
    assert "### Review arrangements (S17)" in md and "## VII. Overall management" in md
    again = parse_report(md, "export.md")
    assert again.activities == original.activities
    assert again.deadlines == original.deadlines
    assert [t[2] for t in again.toc] == [a.code for a in original.activities]


def test_slack_asks_for_the_word_report_by_name():
    from bot.exports import KINDS, filename
    from bot.grammar import parse
    from bot.grammar.files import FileRequest

    assert parse("/brs export docx") == FileRequest("docx")
    assert KINDS["docx"].label == "Word report"
    assert filename("docx", date(2012, 8, 20)) == "brs-report-2012-08-20.docx"


def test_markdown_keeps_characters_markdown_and_html_give_meaning_to():
    from store.model import Activity, Row, Section
    from store.report.funding import read_funding

    lines = ("Costs | benefits of **all** options", "A < B & C", "literally <br> here", "a*b*c")
    funding = ("Yes", "Partly funded | pending")
    row = Row(lines, ("Ongoing",), ("Next",), funding, ("None",), read_funding(funding))
    activity = Activity("T1", "Odd | title", "I", "Section", (row,))
    md = render_markdown("Title", [Section("I", "Section")], [activity])
    again = parse_report(md, "odd.md")
    assert again.activities == (activity,)
