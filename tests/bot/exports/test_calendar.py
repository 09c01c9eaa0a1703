"""The calendar: every open deadline once under a UID unique to this installation, SEQUENCE and
LAST-MODIFIED from the history, done and removed deadlines cancelled for a while, then gone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from bot.exports import export_text
from bot.exports.calendar import CANCELLED_FOR, render_ics
from bot.exports.feed import installation_id
from bot.exports.revisions import DONE, OPEN, REMOVED, from_store
from jobs.clock import SimClock
from store.bootstrap import open_store
from store.model import deadline_to_dict
from store.repository import Store
from tests.store.bundled import NOW
from tests.store.factories import activity, deadline

EDITOR = "U0EDITOR"


@pytest.fixture
def clock() -> SimClock:
    return SimClock(NOW)


@pytest.fixture
def store(tmp_path, clock) -> Iterator[Store]:
    with open_store(tmp_path / "brs.json", clock=clock) as s:
        yield s


def _events(text: str | bytes) -> dict[str, object]:
    cal = Calendar.from_ical(text)
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), "one event per deadline"
    return {str(e["UID"]).partition("@")[0]: e for e in events}


def _open_with_date(store: Store) -> set[str]:
    events = store.events()
    return {d.id for d in store.deadlines() if d.is_open and d.resolved(events) is not None}


def test_one_all_day_event_per_open_deadline_named_with_its_activity(store: Store) -> None:
    events = _events(export_text(store, "ics", now=NOW))

    assert set(events) == _open_with_date(store) and len(events) == 10
    s17_2 = events["S17-2"]
    assert str(s17_2["SUMMARY"]) == "S17-2 Review arrangements: Collect responses from parties"
    assert s17_2["DTSTART"].dt == date(2012, 8, 31)  # a date, not a time: all day
    assert s17_2["DTEND"].dt == date(2012, 9, 1)
    assert str(s17_2["STATUS"]) == "CONFIRMED" and s17_2["SEQUENCE"] == 0
    sentence = store.deadline("S17-2").sentence
    assert str(s17_2["DESCRIPTION"]).startswith(" ".join(sentence.split()))
    assert "S17 Review arrangements" in str(s17_2["DESCRIPTION"])


def test_uids_carry_this_installations_id_and_differ_between_installations(tmp_path) -> None:
    uids = []
    for name in ("one", "two"):
        with open_store(tmp_path / name / "brs.json", clock=lambda: NOW) as s:
            text = export_text(s, "ics", now=NOW)
            again = export_text(s, "ics", now=NOW + timedelta(days=1))
            installation = installation_id(s)
        assert installation and len(installation) == 16
        cal_uids = {str(e["UID"]) for e in Calendar.from_ical(text).walk("VEVENT")}
        assert f"S17-2@{installation}.brs" in cal_uids
        assert cal_uids == {str(e["UID"]) for e in Calendar.from_ical(again).walk("VEVENT")}
        uids.append(cal_uids)
    assert not uids[0] & uids[1]  # the same report in two installations: no UID in common


def test_a_range_spans_its_days_and_a_relative_deadline_its_events_date(store: Store) -> None:
    events = _events(export_text(store, "ics", now=NOW))

    assert events["S8-1"]["DTSTART"].dt == date(2012, 10, 1)
    assert events["S8-1"]["DTEND"].dt == date(2012, 10, 4)  # 1-3 October, end exclusive
    assert events["S17-4"]["DTSTART"].dt == date(2013, 1, 28)  # 90 days before COP-2013


def test_moving_an_event_bumps_sequence_and_last_modified_of_what_hangs_from_it(
    store: Store, clock: SimClock
) -> None:
    first = _events(export_text(store, "ics", now=NOW))
    moved_at = clock.advance(timedelta(days=3))
    store.set_event("COP-2013", date(2013, 5, 10), EDITOR)

    second = _events(export_text(store, "ics", now=moved_at))

    assert set(second) == set(first)
    assert second["S17-4"]["DTSTART"].dt == date(2013, 2, 9)  # moved with the event
    assert second["S17-4"]["SEQUENCE"] == first["S17-4"]["SEQUENCE"] + 1
    assert second["S17-4"]["LAST-MODIFIED"].dt == moved_at
    assert second["S17-4"]["LAST-MODIFIED"].dt > first["S17-4"]["LAST-MODIFIED"].dt
    assert second["S17-2"]["SEQUENCE"] == 0  # not hanging from COP-2013
    assert second["S17-2"]["LAST-MODIFIED"].dt == first["S17-2"]["LAST-MODIFIED"].dt

    clock.advance(timedelta(days=1))
    store.set_event("COP-2013", date(2013, 5, 10), EDITOR)  # the same date: nothing moves
    assert _events(export_text(store, "ics", now=clock()))["S17-4"]["SEQUENCE"] == 1


def test_a_fixed_date_changed_in_the_store_bumps_its_sequence(store: Store, clock) -> None:
    dl = store.deadline("S17-2")
    clock.advance(timedelta(hours=1))
    store.commit(EDITOR, [("deadline:S17-2", "on", dl.on.isoformat(), "2012-09-14")])
    event = _events(export_text(store, "ics", now=clock()))["S17-2"]
    assert event["DTSTART"].dt == date(2012, 9, 14) and event["SEQUENCE"] == 1


def test_done_and_removed_deadlines_are_cancelled_for_a_while_then_gone(
    store: Store, clock: SimClock
) -> None:
    from bot.changes.deadlines import mark_done

    closed_at = clock.advance(timedelta(days=1))
    mark_done(store, store.deadline("S17-2"), EDITOR, closed_at)
    removed = store.deadline("S9-1")
    store.commit(EDITOR, [("deadline:S9-1", "", deadline_to_dict(removed), None)])

    events = _events(export_text(store, "ics", now=closed_at))
    for dl_id in ("S17-2", "S9-1"):
        assert str(events[dl_id]["STATUS"]) == "CANCELLED"
        assert events[dl_id]["SEQUENCE"] == 1
        assert events[dl_id]["LAST-MODIFIED"].dt == closed_at
    assert events["S9-1"]["DTSTART"].dt == removed.on  # still where calendars have it
    assert str(events["S17-4"]["STATUS"]) == "CONFIRMED"

    almost = closed_at + CANCELLED_FOR - timedelta(minutes=1)
    assert {"S17-2", "S9-1"} <= set(_events(export_text(store, "ics", now=almost)))
    later = _events(export_text(store, "ics", now=closed_at + CANCELLED_FOR))
    assert "S17-2" not in later and "S9-1" not in later
    assert len(later) == 8


def test_the_history_says_what_changed_and_when(store: Store, clock: SimClock) -> None:
    from bot.changes.deadlines import mark_done

    revs = from_store(store)
    assert revs["S17-2"].state == OPEN and revs["S17-2"].sequence == 0
    assert revs["S17-5"].state == DONE and not revs["S17-5"].published  # a milestone: not listed
    assert revs["S17-4"].sequence == 0  # dated only once COP-2013 was set: first listed then

    mark_done(store, store.deadline("S17-2"), EDITOR, clock.advance(timedelta(days=1)))
    undo_at = clock.advance(timedelta(days=1))
    store.commit(EDITOR, [("deadline:S17-2", "done", True, False)])  # reopened, as undo does
    store.commit(EDITOR, [("deadline:S17-2", "due", store.deadline("S17-2").due, "Responses")])
    s17_2 = from_store(store)["S17-2"]
    assert (s17_2.state, s17_2.sequence, s17_2.modified) == (OPEN, 2, undo_at)
    assert s17_2.deadline.due == "Responses"  # the words follow; the sequence does not

    store.commit(EDITOR, [("deadline:S17-2", "", deadline_to_dict(store.deadline("S17-2")), None)])
    assert from_store(store)["S17-2"].state == REMOVED


def test_without_history_done_deadlines_milestones_and_undated_ones_are_left_out() -> None:
    report = [activity("S1", 1), activity("S2", 2)]
    deadlines = [
        deadline("S1-1", date(2012, 9, 1)),
        deadline("S1-2", date(2012, 9, 2), done=True),
        deadline("S1-3", date(2012, 5, 2), kind="milestone", done=True),
        deadline("S2-1", None, event="COP-2099", offset_days=-10),
    ]

    text = render_ics(deadlines, {}, report, now=NOW, installation="abc").decode()

    assert {str(e["UID"]) for e in Calendar.from_ical(text).walk("VEVENT")} == {"S1-1@abc.brs"}
