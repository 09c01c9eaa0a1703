"""Golden tables per phrasing family, written from reading the sentences: kind, date, funding."""

from __future__ import annotations

from datetime import date

import pytest

from store.model import Activity, Row
from store.report.deadlines import extract_deadlines, find_dates
from store.report.funding import read_funding


def _found(sentence: str, notes: list[str] | None = None):
    a = Activity("S9", "T", "I", "A", (Row(next_steps=(sentence,)),))
    return [(d.kind, d.on, d.end, d.event, d.offset_days) for d in extract_deadlines(a, notes)]


# sentence -> (kind, on, end): the clause carrying the date decides done-ness.
KINDS = [
    (
        "The revised toolkit will be sent to parties by 31 January 2013.",
        "deadline",
        date(2013, 1, 31),
        None,
    ),
    (
        "The proposed regional workshop will be held on 5-7 March 2013.",
        "deadline",
        date(2013, 3, 5),
        date(2013, 3, 7),
    ),
    ("The updated roster will be published in April 2013.", "deadline", date(2013, 4, 1), None),
    (
        "Submit the revised toolkit to the secretariat no later than 15 January 2013.",
        "deadline",
        date(2013, 1, 15),
        None,
    ),
    (
        "Parties are invited to submit comments by 31 March 2013.",
        "deadline",
        date(2013, 3, 31),
        None,
    ),
    (
        "The meeting has been postponed to 14-16 January 2013.",
        "deadline",
        date(2013, 1, 14),
        date(2013, 1, 16),
    ),
    ("The workshop was moved to 3 June 2013.", "deadline", date(2013, 6, 3), None),
    (
        "A regional workshop was held on 29-31 March 2012 in San Salvador.",
        "milestone",
        date(2012, 3, 29),
        date(2012, 3, 31),
    ),
    (
        "The questionnaires were sent to parties on 21 May 2012.",
        "milestone",
        date(2012, 5, 21),
        None,
    ),
    ("The guidance has been made available in March 2012.", "milestone", date(2012, 3, 1), None),
    ("The secretariat organized a webinar on 4 June 2012.", "milestone", date(2012, 6, 4), None),
]


@pytest.mark.parametrize("sentence, kind, on, end", KINDS)
def test_deadline_or_milestone_by_the_clause(sentence, kind, on, end):
    assert _found(sentence) == [(kind, on, end, None, 0)]


def test_a_done_clause_and_a_future_clause_in_one_sentence():
    got = _found("The draft was circulated on 2 May 2012; comments will be due by 30 June 2012.")
    assert [(k, on) for k, on, *_ in got] == [
        ("milestone", date(2012, 5, 2)),
        ("deadline", date(2012, 6, 30)),
    ]


# phrase -> (on, last)
DATES = [
    ("in the first quarter of 2013", date(2013, 1, 1), date(2013, 3, 31)),
    ("by the third quarter of 2013", date(2013, 9, 30), None),
    ("in Q4 2012", date(2012, 10, 1), date(2012, 12, 31)),
    ("in the second half of 2013", date(2013, 7, 1), date(2013, 12, 31)),
    ("by mid-2013", date(2013, 6, 30), None),
    ("in mid-March 2013", date(2013, 3, 15), None),
    ("in early March 2013", date(2013, 3, 1), date(2013, 3, 10)),
    ("in late March 2013", date(2013, 3, 21), date(2013, 3, 31)),
    ("by 15/01/2013", date(2013, 1, 15), None),
    ("on 15.01.2013", date(2013, 1, 15), None),
]


@pytest.mark.parametrize("text, on, last", DATES)
def test_date_families(text, on, last):
    (p,) = find_dates(text)
    assert (p.on, p.last) == (on, last)


def test_by_a_and_b_is_two_deadlines():
    got = _found("Reports are to be submitted by 31 January 2013 and 30 June 2013.")
    assert got == [
        ("deadline", date(2013, 1, 31), None, None, 0),
        ("deadline", date(2013, 6, 30), None, None, 0),
    ]


def test_between_a_and_b_stays_a_period():
    (p,) = find_dates("between 25 April and 2 May 2012")
    assert (p.on, p.last) == (date(2012, 4, 25), date(2012, 5, 2))


@pytest.mark.parametrize(
    "sentence, event, offset",
    [
        ("Comments are due before COP-7 of the Stockholm Convention.", "SC-COP-7", -1),
        ("The report will be sent within 60 days of the meeting.", "S9-meeting", 60),
        ("The summary will be posted within 2 weeks after OEWG-9.", "OEWG-9", 14),
    ],
)
def test_event_relative_deadlines_wait_for_their_event(sentence, event, offset):
    assert _found(sentence) == [("deadline", None, None, event, offset)]


def test_ambiguous_and_impossible_dates_are_reported():
    notes: list[str] = []
    assert _found("Send it by 1/2/2013.", notes) == [("deadline", date(2013, 2, 1), None, None, 0)]
    assert _found("The review ends on 31 September 2013.", notes) == []
    assert len(notes) == 2
    assert "1 February 2013" in notes[0] and "2 January 2013" in notes[0]
    assert "31 September 2013" in notes[1] and "not a date" in notes[1]


# funding words -> status
FUNDING = [
    ("Not yet fully funded.", "partly"),
    ("Not fully funded.", "partly"),
    ("Not yet fully funded; nothing received so far.", "not_yet"),
    ("Not yet funded.", "not_yet"),
    ("No funds received yet.", "not_yet"),
    ("Funding pending.", "not_yet"),
    ("Funding secured.", "fully"),
    ("Funded.", "fully"),
    ("Funds received.", "fully"),
    ("Fully covered by Sweden.", "fully"),
    ("Partly financed.", "partly"),
    ("Funding partially secured (EUR 20,000).", "partly"),
    ("Partly funded, however transfer of funds is pending.", "partly"),
    ("Norway has expressed interest.", "unclear"),
]


@pytest.mark.parametrize("words, status", FUNDING)
def test_funding_words(words, status):
    f = read_funding(["Yes", words])
    assert (f.needed, f.status) == ("yes", status)
    assert f.words == words.rstrip(".")  # the words are kept, whatever they say


def test_unclear_funding_is_listed_by_the_import():
    from store.report.reader import parse_report

    text = (
        "## I. A\n| Decision requests | Status of implementation | Next steps | Funding | Implications |\n"
        "|---|---|---|---|---|\n| <b>T (Q1)</b> | | | | |\n"
        "| Do it | Ongoing | Go on | Yes<br>Norway has expressed interest | None |\n"
    )
    report = parse_report(text, "r.md")
    assert report.activities[0].funding_status == "unclear"
    assert any("Norway has expressed interest" in n and "unclear" in n for n in report.notes)


def test_a_passive_commitment_keeps_its_subject_as_what_is_due():
    a = Activity(
        "S9", "T", "I", "A", (Row(next_steps=("The summary will be sent by 1 March 2013.",)),)
    )
    (d,) = extract_deadlines(a)
    assert d.due == "The summary will be sent"
