"""`brs export --format ics`: every open deadline once, under a UID that never changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from bot.exports import export_text
from bot.exports.calendar import render_ics
from store.repository import Store
from tests.store.bundled import NOW, bundled_store
from tests.store.factories import activity, deadline


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    with bundled_store(tmp_path) as s:
        yield s


def _events(text: str) -> dict[str, object]:
    cal = Calendar.from_ical(text)
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), "one event per deadline"
    return {str(e["UID"]): e for e in events}


def _open_with_date(store: Store) -> set[str]:
    events = store.events()
    return {d.id for d in store.deadlines() if d.is_open and d.resolved(events) is not None}


def test_one_all_day_event_per_open_deadline(store: Store) -> None:
    events = _events(export_text(store, "ics", now=NOW))

    assert set(events) == {f"{i}@brs" for i in _open_with_date(store)}
    assert len(events) == 10
    s17_2 = events["S17-2@brs"]
    assert str(s17_2["SUMMARY"]) == "S17-2 Collect responses from parties"
    assert s17_2["DTSTART"].dt == date(2012, 8, 31)  # a date, not a time: all day
    assert s17_2["DTEND"].dt == date(2012, 9, 1)
    sentence = store.deadline("S17-2").sentence
    assert str(s17_2["DESCRIPTION"]).startswith(" ".join(sentence.split()))
    assert "S17 Review arrangements" in str(s17_2["DESCRIPTION"])


def test_a_range_spans_its_days_and_a_relative_deadline_its_events_date(store: Store) -> None:
    events = _events(export_text(store, "ics", now=NOW))

    assert events["S8-1@brs"]["DTSTART"].dt == date(2012, 10, 1)
    assert events["S8-1@brs"]["DTEND"].dt == date(2012, 10, 4)  # 1-3 October, end exclusive
    assert events["S17-4@brs"]["DTSTART"].dt == date(2013, 1, 28)  # 90 days before COP-2013


def test_a_second_export_has_the_same_uids_and_follows_changes(store: Store) -> None:
    first = _events(export_text(store, "ics", now=NOW))
    store.set_event("COP-2013", date(2013, 5, 10), "U0EDITOR")
    later = datetime(2012, 9, 1, 8, 0, tzinfo=UTC)

    second = _events(export_text(store, "ics", now=later))

    assert set(second) == set(first)
    assert second["S17-4@brs"]["DTSTART"].dt == date(2013, 2, 9)  # moved with the event
    assert second["S17-4@brs"]["DTSTAMP"].dt == later


def test_done_deadlines_milestones_and_undated_ones_are_left_out() -> None:
    report = [activity("S1", 1), activity("S2", 2)]
    deadlines = [
        deadline("S1-1", date(2012, 9, 1)),
        deadline("S1-2", date(2012, 9, 2), done=True),
        deadline("S1-3", date(2012, 5, 2), kind="milestone", done=True),
        deadline("S2-1", None, event="COP-2099", offset_days=-10),
    ]

    events = _events(render_ics(deadlines, {}, report, now=NOW).decode())

    assert set(events) == {"S1-1@brs"}
