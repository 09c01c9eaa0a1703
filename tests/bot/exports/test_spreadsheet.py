"""`brs export --format csv` and `deadlines-csv`: rows a spreadsheet reads, UTF-8 with a BOM."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

import pytest

from bot.exports import export_bytes, export_text, filename
from bot.exports.spreadsheet import DEADLINE_HEADER, HEADER, render_csv, render_deadlines_csv
from store.repository import Store
from tests.store.bundled import NOW, TODAY, bundled_store
from tests.store.factories import activity, deadline, row


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with bundled_store(tmp_path_factory.mktemp("csv")) as s:
        yield s


def _unmarked(text: str) -> str:
    """The text after the byte order mark every CSV starts with (Excel then reads UTF-8)."""
    assert text.startswith("\ufeff")
    return text[1:]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_unmarked(text), newline="")))


def test_one_csv_row_per_activity_row(store: Store) -> None:
    text = export_text(store, "csv")
    reader = csv.reader(io.StringIO(_unmarked(text), newline=""))
    header, *rows = list(reader)

    assert tuple(header) == HEADER
    expected = [(a.code, str(n)) for a in store.activities() for n in range(1, len(a.rows) + 1)]
    assert [(r[0], r[3]) for r in rows] == expected
    assert len(rows) == 18  # 17 activities; S4 has two decision requests
    assert all(len(r) == len(HEADER) for r in rows)


def test_cells_hold_the_columns_lines_joined_with_newlines(store: Store) -> None:
    rows = {(r["code"], r["row"]): r for r in _rows(export_text(store, "csv"))}
    s17 = store.activity("S17")
    assert s17 is not None

    r = rows[("S17", "1")]
    assert r["title"] == "Review arrangements"
    assert r["section"] == s17.section
    assert r["requests"].split("\n") == list(s17.rows[0].requests)
    assert r["status"] == "\n".join(s17.rows[0].status)
    assert r["next_steps"] == "\n".join(s17.rows[0].next_steps)
    assert (r["funding_needed"], r["funding_status"]) == ("no", "none")
    assert rows[("S4", "2")]["funding_status"] == "mixed"
    # The words /brs funding takes (not-yet, partly, fully, mixed, none), not internal names.
    assert {r["funding_status"] for r in rows.values()} == {"not-yet", "partly", "mixed", "none"}


def test_a_line_a_spreadsheet_would_run_as_a_formula_is_written_inert() -> None:
    typed = activity("S1", 1, rows=[row(status='=HYPERLINK("https://evil.example","x")')])

    (r,) = _rows(render_csv([typed]))

    assert r["status"] == '\'=HYPERLINK("https://evil.example","x")'
    assert r["code"] == "S1"


@pytest.mark.parametrize("fmt", ["csv", "deadlines-csv"])
def test_the_file_starts_with_one_utf8_bom(store: Store, fmt: str) -> None:
    data = export_bytes(store, fmt, now=NOW, today=TODAY)

    assert data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf" * 2)
    assert data.decode("utf-8-sig").startswith(("code,", "id,"))  # what Excel does with a BOM


def test_accents_and_dashes_survive_the_way_excel_reads_the_file() -> None:
    title = "Conférence des Parties – “COP” réunion"
    a = activity("S1", 1, title=title)
    for text in (
        render_csv([a]),
        render_deadlines_csv([deadline("S1-1", date(2013, 4, 28), "préparer")], {}, [a]),
    ):
        read = text.encode("utf-8").decode("utf-8-sig")
        row = next(csv.DictReader(io.StringIO(read, newline="")))
        assert row["title"] == title


def test_one_deadline_row_per_deadline_and_milestone_in_report_order(store: Store) -> None:
    rows = _rows(export_text(store, "deadlines-csv"))

    assert tuple(rows[0]) == DEADLINE_HEADER
    assert [r["id"] for r in rows] == [
        d.id
        for a in store.activities()
        for d in sorted(store.deadlines(a.code), key=lambda d: int(d.id.rpartition("-")[2]))
    ]
    by_id = {r["id"]: r for r in rows}
    s17_2 = by_id["S17-2"]
    assert (s17_2["code"], s17_2["title"], s17_2["date"], s17_2["state"]) == (
        "S17",
        "Review arrangements",
        "2012-08-31",
        "open",
    )
    assert s17_2["what"] == "Collect responses from parties"
    assert (by_id["S17-4"]["date"], by_id["S17-4"]["rule"]) == (
        "2013-01-28",
        "90 days before COP-2013",
    )
    assert (by_id["S8-1"]["date"], by_id["S8-1"]["end"]) == ("2012-10-01", "2012-10-03")
    assert by_id["S17-5"]["state"] == "milestone"
    assert filename("deadlines-csv", TODAY) == "brs-deadlines-2012-08-20.csv"


def test_deadline_rows_say_who_closed_them_and_stay_inert() -> None:
    rows = _rows(
        render_deadlines_csv(
            [
                deadline("S1-10", None, "=cmd|' /C calc'!A0", event="COP-2099", offset_days=-3),
                deadline("S1-2", date(2012, 9, 2), "report", done=True, done_by="U0ED"),
            ],
            {},
            [activity("S1", 1, title="Tools")],
        )
    )

    assert [r["id"] for r in rows] == ["S1-2", "S1-10"]  # by number, not as text
    assert (rows[0]["state"], rows[0]["done_by"]) == ("done", "U0ED")
    assert rows[1]["what"].startswith("'=") and rows[1]["date"] == ""  # its event has no date
    assert rows[1]["rule"] == "3 days before COP-2099"
