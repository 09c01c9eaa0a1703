"""Dates as people write them, resolved against today; dates outside 1900–2200 refused."""

from __future__ import annotations

from datetime import date

import pytest

from bot.grammar import CommandError, parse
from bot.grammar.deadlines import AddDeadline, SetEvent

TUESDAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("phrase", "on"),
    [
        ("today", date(2026, 12, 1)),
        ("tomorrow", date(2026, 12, 2)),
        ("friday", date(2026, 12, 4)),
        ("next friday", date(2026, 12, 4)),
        ("next tuesday", date(2026, 12, 8)),  # not today: the coming one
        ("in 2 weeks", date(2026, 12, 15)),
        ("in 10 days", date(2026, 12, 11)),
        ("in 3 months", date(2027, 3, 1)),
        ("in a year", date(2027, 12, 1)),
        ("next week", date(2026, 12, 8)),
        ("end of the month", date(2026, 12, 31)),
        ("end of next month", date(2027, 1, 31)),
        ("end of September", date(2027, 9, 30)),  # this year's is past
        ("end of December", date(2026, 12, 31)),
        ("end of February 2028", date(2028, 2, 29)),
        ("end of the year", date(2026, 12, 31)),
        ("31 August 2030", date(2030, 8, 31)),
        ("2030-08-31", date(2030, 8, 31)),
    ],
)
def test_relative_and_absolute_dates(phrase: str, on: date) -> None:
    change = parse(f"deadline add S17 {phrase} Collect responses", today=TUESDAY)
    assert change == AddDeadline("S17", "Collect responses", on, phrase=phrase)


def test_relative_dates_need_a_clock() -> None:
    with pytest.raises(CommandError):
        parse("deadline add S17 tomorrow Collect responses")


def test_events_take_relative_dates_too() -> None:
    assert parse("event COP-2027 in 3 months", today=TUESDAY) == SetEvent(
        "COP-2027", date(2027, 3, 1)
    )


@pytest.mark.parametrize("phrase", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_dates_outside_the_window_are_refused_with_the_range(phrase: str) -> None:
    for text in (f"event COP-2013 {phrase}", f"deadline add S17 {phrase} Something"):
        with pytest.raises(CommandError, match="1900–2200"):
            parse(text, today=TUESDAY)


def test_the_example_in_every_deadline_message_is_valid_today() -> None:
    with pytest.raises(CommandError) as info:
        parse("deadline add S17", today=TUESDAY)
    example = str(info.value).split("like: /brs ", 1)[1].split(" (or")[0]
    change = parse(example, today=TUESDAY)
    assert isinstance(change, AddDeadline) and change.on is not None and change.on > TUESDAY


def test_a_deadline_text_has_the_same_limit_as_a_status_line() -> None:
    with pytest.raises(CommandError, match="3,001 characters; at most 3,000"):
        parse("deadline add S17 2030-01-01 " + "x" * 3001, today=TUESDAY)
    assert parse("deadline add S17 2030-01-01 " + "x" * 3000, today=TUESDAY)
