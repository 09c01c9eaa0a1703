"""Reminder instants and plan(): pure functions of deadlines, events, settings, ledger and now."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.settings import Settings
from jobs.ledger import Snapshot
from jobs.schedule import ALL_DAYS, DIGEST, instant, items_for, plan
from store.events import DEFAULT_EVENTS
from tests.jobs.conftest import DST_END, SETTINGS, TZ, at
from tests.store.factories import deadline

S17_2 = deadline("S17-2", date(2012, 10, 29), "collect responses")
RELATIVE = deadline("S17-4", None, "publish", event="COP-2013", offset_days=-90)


def empty() -> Snapshot:
    return Snapshot({})


def keys(items) -> list[str]:
    """The reminders' keys; the Monday digest has its own tests."""
    return [i.key for i in items if i.key != DIGEST]


def test_each_lead_is_at_nine_local_time_on_both_sides_of_the_dst_change():
    items = items_for(S17_2, S17_2.on, SETTINGS)

    assert [(i.key, i.day) for i in items] == [
        ("S17-2|30", date(2012, 9, 29)),
        ("S17-2|14", date(2012, 10, 15)),
        ("S17-2|7", date(2012, 10, 22)),
        ("S17-2|1", DST_END),
        ("S17-2|0", date(2012, 10, 29)),
        ("S17-2|overdue", date(2012, 10, 30)),
    ]
    assert {i.at.astimezone(TZ).time() for i in items} == {time(9, 0)}
    # 09:00 is 07:00 UTC in summer time, 08:00 UTC from 28 October.
    assert [i.at.astimezone(UTC).hour for i in items] == [7, 7, 7, 8, 8, 8]


def test_spring_forward_keeps_the_wall_clock_time():
    spring = instant(date(2013, 3, 31), SETTINGS)  # Zurich skips 02:00-03:00 that night
    assert spring.astimezone(UTC) == datetime(2013, 3, 31, 7, 0, tzinfo=UTC)
    assert instant(date(2013, 3, 30), SETTINGS).astimezone(UTC).hour == 8


def test_nothing_is_due_before_its_instant_and_it_is_due_from_then_on():
    last = at(2012, 10, 22, 8, 0)
    before = plan([S17_2], {}, SETTINGS, empty(), last_run=last, now=at(2012, 10, 22, 8, 59, 59))
    due = plan([S17_2], {}, SETTINGS, empty(), last_run=last, now=at(2012, 10, 22, 9, 0))

    assert before.post == () and before.next_at == at(2012, 10, 22, 9, 0)
    assert keys(due.post) == ["S17-2|7"]
    assert due.next_at == at(2012, 10, 28, 9, 0)


def test_only_the_latest_due_reminder_of_a_deadline_is_posted_the_rest_skipped():
    last = at(2012, 10, 20, 12, 0)
    p = plan([S17_2], {}, SETTINGS, empty(), last_run=last, now=at(2012, 10, 31, 12, 0))

    assert keys(p.post) == ["S17-2|overdue"]
    assert [i.key for i in p.skip] == ["S17-2|7", "S17-2|1", "S17-2|0"]
    assert p.post[0].late(at(2012, 10, 31, 12, 0))


def test_nothing_from_before_the_last_run_is_due():
    last = at(2012, 10, 31, 12, 0)
    p = plan([S17_2], {}, SETTINGS, empty(), last_run=last, now=at(2012, 10, 31, 13, 0))
    assert keys(p.post) == [] and p.skip == ()


def test_sent_reminders_are_not_due_again_but_a_moved_deadline_gets_new_ones():
    sent = Snapshot({"S17-2|7": {"on": "2012-10-29", "state": "sent", "ts": "1.1"}})
    last = at(2012, 10, 22, 8, 0)
    now = at(2012, 10, 22, 9, 30)
    assert keys(plan([S17_2], {}, SETTINGS, sent, last_run=last, now=now).post) == []

    moved = deadline("S17-2", date(2012, 10, 29), "collect responses")
    other = Snapshot({"S17-2|7": {"on": "2012-10-01", "state": "sent", "ts": "1.1"}})
    assert keys(plan([moved], {}, SETTINGS, other, last_run=last, now=now).post) == ["S17-2|7"]


def test_relative_deadlines_follow_their_event():
    events = dict(DEFAULT_EVENTS)  # COP-2013 on 28 April 2013: due 28 January 2013
    last, now = at(2012, 12, 29, 8), at(2012, 12, 29, 9)  # 30 days before
    assert keys(plan([RELATIVE], events, SETTINGS, empty(), last_run=last, now=now).post) == [
        "S17-4|30"
    ]

    events["COP-2013"] += timedelta(days=10)
    p = plan([RELATIVE], events, SETTINGS, empty(), last_run=last, now=now)
    assert keys(p.post) == []
    p = plan([RELATIVE], events, SETTINGS, empty(), last_run=at(2013, 1, 8), now=at(2013, 1, 8, 9))
    assert [(i.key, i.on) for i in p.post] == [("S17-4|30", date(2013, 2, 7))]

    p = plan([RELATIVE], {}, SETTINGS, empty(), last_run=at(2013, 1, 8), now=at(2013, 2, 9))
    assert keys(p.post) == []  # no date for its event: nothing to remind


def test_done_milestones_and_undated_deadlines_get_no_reminders():
    done = deadline("S1-1", date(2012, 9, 14), "x", done=True)
    milestone = deadline("S1-2", date(2012, 9, 14), "y", kind="milestone")
    p = plan([done, milestone], {}, SETTINGS, empty(), last_run=at(2012, 8, 1), now=at(2012, 9, 20))
    assert keys(p.post) == [] and p.skip == ()


def test_a_snooze_skips_reminders_before_its_day_and_lets_later_ones_through():
    leads = Settings(workdays=ALL_DAYS, tz=TZ, remind_at=time(9), lead_days=(7, 3, 1, 0))
    snoozed = Snapshot({"S17-2|snooze": {"until": "2012-10-29"}})
    p = plan([S17_2], {}, leads, snoozed, last_run=at(2012, 10, 25, 8), now=at(2012, 10, 26, 10))
    assert p.post == () and [i.key for i in p.skip] == ["S17-2|3"]
    assert p.next_at == at(2012, 10, 29, 9, 0)  # not the 1-day reminder of 28 October


def test_an_unfinished_post_is_retried_at_its_time_even_outside_the_window():
    entry = {"on": "2012-10-29", "state": "sending", "channel": "C1", "attempts": 1}
    retry = {**entry, "next_try": at(2012, 10, 22, 9, 0, 30).isoformat()}
    last = at(2012, 10, 22, 9, 0, 1)
    waiting = plan([S17_2], {}, SETTINGS, Snapshot({"S17-2|7": retry}), last_run=last, now=last)
    assert waiting.post == () and waiting.next_at == at(2012, 10, 22, 9, 0, 30)

    later = at(2012, 10, 22, 9, 0, 31)
    p = plan([S17_2], {}, SETTINGS, Snapshot({"S17-2|7": retry}), last_run=last, now=later)
    assert [i.key for i in p.post] == ["S17-2|7"] and p.stale == ()


def test_unfinished_entries_of_moved_or_finished_deadlines_are_stale():
    entry = {"on": "2012-10-01", "state": "sending", "channel": "C1", "attempts": 1}
    p = plan(
        [S17_2],
        {},
        SETTINGS,
        Snapshot({"S17-2|7": entry, "S9-9|0": entry}),
        last_run=at(2012, 10, 22, 10),
        now=at(2012, 10, 22, 11),
    )
    assert p.post == () and p.stale == ("S17-2|7", "S9-9|0")


def test_the_digest_is_due_on_mondays_at_the_reminder_time():
    monday = at(2012, 8, 27, 9, 0)
    p = plan([], {}, SETTINGS, empty(), last_run=at(2012, 8, 27, 8), now=monday)
    assert [(i.key, i.on) for i in p.post] == [(DIGEST, date(2012, 8, 27))]
    assert p.next_at == at(2012, 9, 3, 9, 0)

    sent = Snapshot({DIGEST: {"on": "2012-08-27", "state": "sent"}})
    assert plan([], {}, SETTINGS, sent, last_run=at(2012, 8, 27, 8), now=monday).post == ()


def test_after_weeks_down_only_the_latest_digest_is_due():
    p = plan([], {}, SETTINGS, empty(), last_run=at(2012, 8, 1), now=at(2012, 8, 29, 12))
    assert [(i.key, i.on) for i in p.post] == [(DIGEST, date(2012, 8, 27))]


def test_reminders_come_before_the_digest_soonest_first():
    s1 = deadline("S1-1", date(2012, 9, 3), "actions")
    p = plan([S17_2, s1], {}, SETTINGS, empty(), last_run=at(2012, 8, 20), now=at(2012, 9, 3, 9))
    assert [i.key for i in p.post] == ["S1-1|0", DIGEST]
