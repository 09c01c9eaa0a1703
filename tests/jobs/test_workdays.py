"""Working days: weekend reminders move to the working day before, the overdue notice after."""

from __future__ import annotations

from datetime import date, time

from bot.settings import Settings
from jobs.ledger import Snapshot
from jobs.schedule import ALL_DAYS, DIGEST, items_for, plan, working_day
from tests.jobs.conftest import TZ, at
from tests.store.factories import deadline

WEEKDAYS = Settings(tz=TZ, remind_at=time(9))  # the default: Monday to Friday
SATURDAY = date(2012, 9, 1)
S7_2 = deadline("S7-2", SATURDAY, "working group considers the programme")


def test_a_weekend_day_moves_to_the_friday_before_or_the_monday_after():
    assert working_day(SATURDAY, WEEKDAYS.workdays) == date(2012, 8, 31)
    assert working_day(date(2012, 9, 2), WEEKDAYS.workdays) == date(2012, 8, 31)
    assert working_day(SATURDAY, WEEKDAYS.workdays, forward=True) == date(2012, 9, 3)
    assert working_day(date(2012, 8, 29), WEEKDAYS.workdays) == date(2012, 8, 29)
    assert working_day(SATURDAY, ALL_DAYS) == SATURDAY


def test_a_saturday_deadline_is_reminded_on_working_days_under_the_same_keys():
    items = items_for(S7_2, SATURDAY, WEEKDAYS)

    assert [(i.key, i.day) for i in items] == [
        ("S7-2|30", date(2012, 8, 2)),  # a Thursday: unchanged
        ("S7-2|14", date(2012, 8, 17)),  # Saturday 18 -> Friday 17
        ("S7-2|7", date(2012, 8, 24)),  # Saturday 25 -> Friday 24
        ("S7-2|1", date(2012, 8, 31)),
        ("S7-2|0", date(2012, 8, 31)),  # the deadline's own Saturday -> Friday
        ("S7-2|overdue", date(2012, 9, 3)),  # Sunday -> Monday: never before it has passed
    ]
    assert {i.on for i in items} == {SATURDAY}  # the ledger still knows the deadline's date
    assert {i.at.time() for i in items} == {time(9)}


def test_on_the_friday_one_reminder_is_posted_and_the_other_of_that_day_skipped():
    last, now = at(2012, 8, 31, 8, 0), at(2012, 8, 31, 9, 0)
    p = plan([S7_2], {}, WEEKDAYS, Snapshot({}), last_run=last, now=now)

    assert [i.key for i in p.post if i.key != DIGEST] == ["S7-2|0"]
    assert [i.key for i in p.skip] == ["S7-2|1"]
    assert p.next_at == at(2012, 9, 3, 9, 0)  # the overdue notice, not Saturday or Sunday


def test_nothing_falls_due_at_the_weekend():
    p = plan(
        [S7_2], {}, WEEKDAYS, Snapshot({}), last_run=at(2012, 8, 31, 10), now=at(2012, 9, 2, 23)
    )
    assert p.post == () and p.skip == ()


def test_sent_on_friday_is_not_sent_again_whatever_the_working_days_say_later():
    sent = Snapshot({"S7-2|0": {"on": "2012-09-01", "state": "sent", "ts": "1.1"}})
    every_day = Settings(tz=TZ, remind_at=time(9), workdays=ALL_DAYS)
    p = plan([S7_2], {}, every_day, sent, last_run=at(2012, 9, 1, 8), now=at(2012, 9, 1, 9))
    assert p.post == ()  # the key names the lead, not the day, so a setting change cannot repeat it


def test_other_working_days_are_honoured():
    mon_wed_fri = Settings(tz=TZ, remind_at=time(9), workdays=frozenset({0, 2, 4}))
    days = [i.day for i in items_for(S7_2, SATURDAY, mon_wed_fri)]
    assert days == [
        date(2012, 8, 1),  # Thursday 2 -> Wednesday 1
        date(2012, 8, 17),
        date(2012, 8, 24),
        date(2012, 8, 31),
        date(2012, 8, 31),
        date(2012, 9, 3),
    ]


def test_the_digest_day_and_time_are_settings():
    friday_4pm = Settings(tz=TZ, remind_at=time(9), digest_day=4, digest_at=time(16, 0))
    p = plan([], {}, friday_4pm, Snapshot({}), last_run=at(2012, 8, 31, 9), now=at(2012, 8, 31, 15))
    assert p.post == () and p.next_at == at(2012, 8, 31, 16, 0)

    p = plan([], {}, friday_4pm, Snapshot({}), last_run=at(2012, 8, 31, 9), now=at(2012, 8, 31, 16))
    assert [(i.key, i.on, i.at) for i in p.post] == [
        (DIGEST, date(2012, 8, 31), at(2012, 8, 31, 16, 0))
    ]
    assert p.next_at == at(2012, 9, 7, 16, 0)
