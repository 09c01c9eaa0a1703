"""`brs export --format csv`: one row per activity row, readable by the csv module."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from bot.exports import export_text
from bot.exports.spreadsheet import HEADER, render_csv
from store.repository import Store
from tests.store.bundled import bundled_store
from tests.store.factories import activity, row


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with bundled_store(tmp_path_factory.mktemp("csv")) as s:
        yield s


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_csv_row_per_activity_row(store: Store) -> None:
    text = export_text(store, "csv")
    reader = csv.reader(io.StringIO(text, newline=""))
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
