"""Deadlines through the console: relative dates echoed, duplicates warned, move, snooze."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jobs.ledger import Ledger
from tests.bot.console_run import console
from tests.bot.edit_store import fresh_store

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)  # a Monday, 09:00 in Geneva


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def say(store, *lines):
    return console(store, *lines, now=NOW)


def test_a_relative_date_is_echoed_as_the_date_it_became(store):
    (out,) = say(store, "/brs deadline add S17 next friday Collect responses")
    assert "“next friday” is 24 August 2012" in out
    (out,) = say(store, "/brs deadline add S17 2012-09-03 Collect more")
    assert "is 3 September 2012" not in out and "3 September 2012 (in 2 weeks)" in out


def test_an_exact_duplicate_is_added_with_a_warning(store):
    say(store, "/brs deadline add S17 2012-09-03 Collect responses")
    (out,) = say(store, "/brs deadline add s17 3 September 2012 collect  Responses")
    assert "S17-7 is the same deadline (same date, same text)" in out
    assert "/brs deadline remove S17-8 if this one was a slip" in out
    (other,) = say(store, "/brs deadline add S17 2012-09-04 Collect responses")
    assert "same deadline" not in other


def test_move_keeps_the_id_the_done_mark_and_the_ledger(store):
    store.put_reminder_entries({"S17-2|14": {"on": "2012-08-31", "state": "sent", "ts": "1.2"}})
    say(store, "/brs deadline done S17-2")
    before, ids = store.deadline("S17-2"), [d.id for d in store.deadlines()]
    (out,) = say(store, "/brs deadline move S17-2 in 3 weeks")
    assert "Moved S17-2 to 10 September 2012" in out and "(was 31 August 2012)" in out
    assert "“in 3 weeks” is 10 September 2012" in out and "still marked done" in out
    after = store.deadline("S17-2")
    assert (after.on, after.done, after.done_by, after.due) == (
        date(2012, 9, 10),
        True,
        before.done_by,
        before.due,
    )
    assert dict(store.reminder_entries()["S17-2|14"])["ts"] == "1.2"
    assert [d.id for d in store.deadlines()] == ids


def test_move_onto_an_event_and_back(store):
    (out,) = say(store, "/brs deadline move S17-2 30 days before COP-2013")
    assert "29 March 2013" in out and "(30 days before COP-2013)" in out
    dl = store.deadline("S17-2")
    assert (dl.on, dl.event, dl.offset_days) == (None, "COP-2013", -30)
    say(store, "/brs deadline move S17-2 2012-12-01")
    dl = store.deadline("S17-2")
    assert (dl.on, dl.event, dl.offset_days) == (date(2012, 12, 1), None, 0)


def test_snooze_is_what_the_reminder_button_does(store):
    (out,) = say(store, "/brs snooze S17-2 1w")
    assert "no reminder before 27 August 2012" in out
    assert Ledger(store).snapshot().snoozes() == {"S17-2": date(2012, 8, 27)}
    (out,) = say(store, "/brs snooze s17-2 next friday")
    assert "“next friday” is 24 August 2012" in out
    assert Ledger(store).snapshot().snoozes() == {"S17-2": date(2012, 8, 24)}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/brs deadline move S17-2", '"deadline move" takes an id and a new date, like:'),
        ("/brs deadline move S17-2 yesterday", 'Cannot read "yesterday" as a date'),
        ("/brs deadline move S17-2 2012-01-01", "1 January 2012 is in the past"),
        ("/brs deadline move S17-5 2013-01-01", "S17-5 is a milestone"),
        ("/brs deadline move S17-99 tomorrow", "No deadline S17-99. S17's deadlines: S17-1"),
        ("/brs deadline move S17-2 3 days before COP-2099", 'No event "COP-2099" with a date'),
        ("/brs snooze S17-2", '"snooze" takes a deadline\'s id and how long, like: /brs snooze'),
        ("/brs snooze S17-2 0d", "Snooze for at least a day"),
        ("/brs snooze S17-5 1d", "S17-5 is done or a milestone"),
        ("/brs snooze S17-2 today", "Snooze until a later day than today"),
    ],
)
def test_bad_moves_and_snoozes_change_nothing(store, line, message):
    before = (store.deadlines(), dict(store.reminder_entries()), store.version)
    (out,) = say(store, line)
    assert message in out
    assert (store.deadlines(), dict(store.reminder_entries()), store.version) == before
