"""The importer on a report it has never seen: other codes, sections, dates and funding."""

from __future__ import annotations

from datetime import date

import pytest

from bot.exports.markdown import render_markdown
from store.report.reader import ReportError, bundled_report_path, parse_report, read_report

HEADER = "Requests from the decision\tProgress\tNext steps\tFunding needed? Status of funding\tImplications"


def ul(*items: str) -> str:
    return "<ul> " + " ".join(f"<li>• {i}</li>" for i in items) + " </ul>"


OTHER = "\n".join(
    [
        "# Progress report on the 2014 work programme",
        "",
        "#### **A. Chemicals &amp; waste**",
        "Mercury inventories (T1)  ",
        "#### B. Outreach",
        "Web portal (T22)  ",
        "",
        "## A. Chemicals &amp; waste",
        HEADER,
        "<b>Mercury inventories (T1)</b>\t\t\t\t",
        "\t".join(
            [
                ul("Parties to submit inventories by 15 March 2015"),
                ul(
                    "A template was circulated on 2 June 2014.",
                    "Three parties replied; the deadline for the rest is",
                ),
                ul("Hold a webinar on 10-11 November 2014 in Nairobi"),
                ul("Yes", "Fully funded."),
                ul("N/A"),
            ]
        ),
        "",
        HEADER,  # the header row repeated after a page break
        "\t".join(
            ["", "1<sup>st</sup> of March.", "", "", ""]
        ),  # continuation: the cut sentence goes on
        "\t".join(
            [
                ul("The secretariat to report 60 days before the second MOP in 2015"),
                ul("Work has started."),
                "",
                ul("Yes, provided the pilot succeeds", "Not yet funded"),
                ul("Delays &amp; <i>ad hoc</i> fixes"),
            ]
        ),
        "### **B. Outreach**",
        HEADER,
        "<b>Web portal (T22)</b>\t\t\t\t",
        "\t".join(
            [
                ul("Launch the portal"),
                ul("Design done"),
                ul("Go live until May 2015"),
                ul("No"),
                ul("N/A"),
            ]
        ),
    ]
)


@pytest.fixture(scope="module")
def report():
    return parse_report(OTHER, "other.md")


def test_codes_sections_and_titles(report):
    assert report.title == "Progress report on the 2014 work programme"
    assert [(s.number, s.title) for s in report.sections] == [
        ("A", "Chemicals & waste"),
        ("B", "Outreach"),
    ]
    assert [(a.code, a.title, a.section) for a in report.activities] == [
        ("T1", "Mercury inventories", "A"),
        ("T22", "Web portal", "B"),
    ]


def test_continuation_row_joins_the_cut_sentence(report):
    t1 = report.activities[0]
    assert len(t1.rows) == 2
    assert t1.rows[0].status == (
        "A template was circulated on 2 June 2014.",
        "Three parties replied; the deadline for the rest is 1st of March.",
    )
    assert t1.rows[1].next_steps == ()
    assert t1.rows[1].implications == ("Delays & ad hoc fixes",)


def test_funding_of_another_report(report):
    t1, t22 = report.activities
    assert [(r.funding.needed, r.funding.status) for r in t1.rows] == [
        ("yes", "fully"),
        ("conditional", "not_yet"),
    ]
    assert (t22.rows[0].funding.needed, t22.rows[0].funding.status) == ("no", "none")
    assert t1.funding_status == "mixed"


def test_deadlines_of_another_report(report):
    got = {(d.id, d.kind, d.on, d.event, d.offset_days) for d in report.deadlines}
    assert got == {
        ("T1-1", "deadline", date(2015, 3, 15), None, 0),
        ("T1-2", "milestone", date(2014, 6, 2), None, 0),
        ("T1-3", "deadline", date(2014, 11, 10), None, 0),
        ("T1-4", "deadline", None, "MOP-2015", -60),
        ("T22-1", "deadline", date(2015, 5, 31), None, 0),
    }


@pytest.mark.parametrize("source", ["bundled", "other"])
def test_markdown_export_reads_back_the_same(report, source):
    original = read_report(bundled_report_path()) if source == "bundled" else report
    md = render_markdown(original.title, original.sections, original.activities, original.footnotes)
    again = parse_report(md, "export.md")
    assert again.activities == original.activities
    assert again.sections == original.sections
    assert again.deadlines == original.deadlines


@pytest.mark.parametrize(
    "text, where, says",
    [
        ("## I. A\nrow\twithout\theader", "r.md, line 2", "header row"),
        ("## I. A\n" + HEADER + "\nno code here\t\t\t\t", "r.md, line 3", "no code"),
        ("## I. A\n" + HEADER + "\n" + ul("x") + "\t\t\t\t", "r.md, line 3", "activity title"),
        (HEADER + "\n<b>T (Q1)</b>\t\t\t\t", "r.md, line 2", "section heading"),
        (
            "## I. A\n" + HEADER + "\n<b>T (Q1)</b>\t\t\t\t\n<b>U (Q1)</b>\t\t\t\t",
            "r.md, line 4",
            "twice",
        ),
        ("just prose, no tables", "r.md", "no activities"),
        ("## I. A\n" + HEADER + "\n<b>T (Q1)</b>\t\t\t\t", "r.md, line 3", "no rows"),
    ],
)
def test_malformed_reports_name_file_and_line(text, where, says):
    with pytest.raises(ReportError) as err:
        parse_report(text, "r.md")
    message = str(err.value)
    assert message.startswith(where)
    assert says in message
    assert "\n" not in message


def test_unreadable_file(tmp_path):
    with pytest.raises(ReportError, match="cannot read"):
        read_report(tmp_path / "missing.md")
    bad = tmp_path / "latin1.md"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(ReportError, match="not UTF-8"):
        read_report(bad)
