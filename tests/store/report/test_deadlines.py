"""Deadlines and milestones found in report text, and the dates that must not be found."""

from __future__ import annotations

from datetime import date

import pytest

from store.report.deadlines import find_dates
from store.report.reader import bundled_report_path, read_report


@pytest.fixture(scope="module")
def deadlines():
    return {d.id: d for d in read_report(bundled_report_path()).deadlines}


def test_s17_deadlines(deadlines):
    s17 = [d for d in deadlines.values() if d.activity == "S17" and d.kind == "deadline"]
    assert [(d.id, d.on, d.event, d.offset_days) for d in s17] == [
        ("S17-1", date(2012, 4, 30), None, 0),
        ("S17-2", date(2012, 8, 31), None, 0),
        ("S17-3", date(2012, 12, 31), None, 0),
        ("S17-4", None, "COP-2013", -90),
    ]
    assert deadlines["S17-2"].due == "Collect responses from parties"
    assert deadlines["S17-3"].due == "Develop a report"
    assert deadlines["S17-4"].due.startswith("Publish the report on how far the arrangements")
    assert "31 August 2012" in deadlines["S17-2"].sentence
    # The default date of the first COP in 2013 puts the publication on 28 January 2013.
    assert deadlines["S17-4"].resolved({"COP-2013": date(2013, 4, 28)}) == date(2013, 1, 28)


def test_every_open_deadline_of_the_report(deadlines):
    open_ = {d.id: d.on or d.event for d in deadlines.values() if d.kind == "deadline"}
    assert open_ == {
        "S1-1": date(
            2013, 6, 30
        ),  # "Actions defined until June 2013": a month after until, its last day
        "S4-2": date(2012, 12, 31),  # "under development until December 2012"
        "S7-2": date(
            2012, 9, 1
        ),  # "at its eight meeting in September 2012": a month alone, its first day
        "S8-1": date(2012, 10, 1),  # "on 1-3 October 2012"
        "S9-1": date(2012, 8, 31),  # "scheduled until August 2012"
        "S15-1": date(2013, 12, 31),  # "at the end of 2013 and early 2014"
        "S17-1": date(2012, 4, 30),
        "S17-2": date(2012, 8, 31),
        "S17-3": date(2012, 12, 31),
        "S17-4": "COP-2013",
    }
    assert deadlines["S8-1"].end == date(2012, 10, 3)
    assert deadlines["S15-1"].due.startswith("Organize regional capacity-building workshops")


def test_what_the_report_records_as_done_is_a_milestone(deadlines):
    milestones = {d.id: d.on for d in deadlines.values() if d.kind == "milestone"}
    assert milestones == {
        "S4-1": date(2012, 3, 29),  # "was held on 29-31 March 2012"
        "S7-1": date(2012, 5, 15),  # "were invited from parties by 15 May 2012"
        "S14-1": date(2012, 3, 1),  # "was made available in March 2012"
        "S17-5": date(2012, 5, 21),  # "was sent to parties on 21 May 2012"
        "S17-6": date(2012, 4, 25),  # "provided support ... between 25 April and 2 May 2012"
    }
    assert all(d.done for d in deadlines.values() if d.kind == "milestone")
    assert not any(d.done for d in deadlines.values() if d.kind == "deadline")


def test_a_date_repeated_in_next_steps_is_one_deadline(deadlines):
    on_31_august = [
        d for d in deadlines.values() if d.activity == "S17" and d.on == date(2012, 8, 31)
    ]
    assert len(on_31_august) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Decisions SC-5/27, RC-5/12 and BC-10/29",
        "described in document UNEP/CHW.10/INF/48.",
        "jointly implemented with SC-5/16 and decision BC-10/9",
        "Synergies Decisions: 2005-2011 and Success Stories: 2001-2011",
        "UNEP 2011 Annual Report, World Environment Day 2012",
        "Disposal operations will be conducted in 2013.",  # a year alone is too vague
        "in the following months",
        "31 February 2013",  # not a date at all
    ],
)
def test_no_date_from_symbols_years_or_vague_words(text):
    assert list(find_dates(text)) == []


@pytest.mark.parametrize(
    "text, on, last",
    [
        ("by 31 August 2012 and by 31 December 2012", date(2012, 8, 31), None),
        ("until June 2013", date(2013, 6, 30), None),
        ("in June 2013", date(2013, 6, 1), None),
        ("by February 2012", date(2012, 2, 29), None),
        ("on 1-3 October 2012", date(2012, 10, 1), date(2012, 10, 3)),
        ("between 25 April and 2 May 2012", date(2012, 4, 25), date(2012, 5, 2)),
        ("end of 2013 and early 2014", date(2013, 12, 31), None),
        ("by the end of March 2014", date(2014, 3, 31), None),
        ("on 2013-04-28", date(2013, 4, 28), None),
        ("by August 31, 2012", date(2012, 8, 31), None),
        ("by 1st March 2013", date(2013, 3, 1), None),
    ],
)
def test_date_phrases(text, on, last):
    first = next(iter(find_dates(text)))
    assert (first.on, first.last) == (on, last)


def test_two_dates_in_one_sentence():
    got = [
        p.on
        for p in find_dates("collect responses by 31 August 2012 and a report by 31 December 2012")
    ]
    assert got == [date(2012, 8, 31), date(2012, 12, 31)]


@pytest.mark.parametrize(
    "text, event, offset",
    [
        ("90 days before the 1st COP in 2013", "COP-2013", -90),
        ("30 days before OEWG-8", "OEWG-8", -30),
        ("2 weeks after the next MOP in 2014", "MOP-2014", 14),
    ],
)
def test_relative_deadlines_name_their_event(text, event, offset):
    (p,) = find_dates(text)
    assert (p.on, p.event, p.offset_days) == (None, event, offset)
