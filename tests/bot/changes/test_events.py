"""Events through the console: created or moved, listed with their deadlines, removed if unused."""

from __future__ import annotations

import pytest

from tests.bot.console_run import console
from tests.bot.edit_store import fresh_store


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def test_an_unknown_event_is_created_and_deadlines_can_follow_it(store):
    (out,) = console(store, "/brs event COP-2035 2035-05-04")
    assert "New event COP-2035 on 4 May 2035" in out
    assert str(store.events()["COP-2035"]) == "2035-05-04"
    (out,) = console(store, "/brs deadline add S17 30 days before COP-2035 Send the notes")
    assert "4 April 2035" in out


def test_events_lists_each_with_the_deadlines_hanging_on_it(store):
    console(store, "/brs event COP-2035 2035-05-04", "deadline add S8 10 days before cop-2035 Go")
    (out,) = console(store, "/brs events")
    cop13, cop35 = out.index("COP-2013 · 28 April 2013"), out.index("COP-2035 · 4 May 2035")
    assert cop13 < out.index("S17-4") < cop35 < out.index("S8-2") and "24 April 2035" in out


def test_an_event_in_use_is_not_removed(store):
    before = store.events()
    (out,) = console(store, "/brs event remove COP-2013")
    assert "COP-2013 is used by S17-4; move or remove those deadlines first" in out
    assert store.events() == before


def test_an_unused_event_is_removed_and_undo_brings_it_back(store):
    console(store, "/brs event COP-2035 2035-05-04")
    (out,) = console(store, "/brs event remove cop-2035")
    assert "Removed the event COP-2035 (4 May 2035)" in out and "COP-2035" not in store.events()
    console(store, "/brs undo COP-2035")
    assert "COP-2035" in store.events()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/brs event remove", '"event remove" takes a name, like: /brs event remove COP-2015'),
        ("/brs event remove COP-2099", 'No event "COP-2099" (events: COP-2013)'),
        ("/brs event S8 2035-01-01", "S8 is an activity; give the event another name"),
        ("/brs events now", '"events" takes nothing more, like: /brs events'),
    ],
)
def test_bad_event_commands_say_the_right_form_and_change_nothing(store, line, message):
    before = (store.events(), store.version)
    (out,) = console(store, line)
    assert message in out
    assert (store.events(), store.version) == before
