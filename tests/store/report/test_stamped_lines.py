"""A dated, signed status line from `/brs update` reads back as a milestone, never a deadline."""

from __future__ import annotations

from datetime import date

from store.model import Activity, Row
from store.report.deadlines import extract_deadlines


def found(line: str) -> list[tuple[str, date | None]]:
    a = Activity("S17", "Review", "VII", "Overall management", (Row(status=(line,)),))
    return [(d.kind, d.on) for d in extract_deadlines(a)]


def test_the_stamp_is_when_it_was_reported_not_a_deadline():
    line = "27 November 2026 (jane.doe): Responses received from 40 parties"
    assert found(line) == [("milestone", date(2026, 11, 27))]


def test_a_deadline_typed_after_the_stamp_is_still_one():
    line = "27 November 2026 (U0ASKER): The report will be ready by 31 December 2026"
    assert found(line) == [("milestone", date(2026, 11, 27)), ("deadline", date(2026, 12, 31))]


def test_a_date_opening_a_line_without_a_signature_is_read_as_before():
    assert found("31 December 2026: the report") == [("deadline", date(2026, 12, 31))]
