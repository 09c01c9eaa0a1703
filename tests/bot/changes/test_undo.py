"""undo and redo as a stack: one change back at a time, redo forward, the state reached said."""

from __future__ import annotations

import pytest

from bot.answer import Answers
from bot.render.text import blocks_to_text
from tests.bot.edit_store import asker, fresh_store
from tests.bot.slack_limits import assert_fits


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def ask(store, text: str) -> str:
    who = asker(name="jane.doe")
    reply = Answers(store).answer(text, today=who.today, asker=who)
    assert_fits(reply)
    return blocks_to_text(reply.blocks)


def state(store):
    return (store.activity("S8"), store.deadlines("S8"), store.events())


def test_undo_walks_back_a_mixed_sequence_and_redo_walks_forward(store):
    original = state(store)
    steps = [
        "set S8 funding fully Donor X",
        "update S8 Money came",
        "deadline add S8 2030-12-01 Report to donors",
        "event COP-2013 2013-05-04",
    ]
    states = [original]
    for text in steps:
        assert "✅" in ask(store, text)
        states.append(state(store))

    assert "COP-2013 is on 28 April 2013 again" in ask(store, "undo COP-2013")
    assert state(store) == states[3]
    assert "Deadline S8-2 is gone" in ask(store, "undo S8")
    assert state(store) == states[2]
    assert "Money came” is gone" in ask(store, "undo S8")
    assert state(store) == states[1]
    assert "S8 funding is partly funded again" in ask(store, "undo S8")
    assert state(store) == original
    assert "S8 has not changed since it was imported" in ask(store, "undo S8")
    assert state(store) == original

    assert "S8 funding is fully funded again" in ask(store, "redo S8")
    assert state(store)[0] == states[1][0]
    assert "Money came” is back" in ask(store, "redo S8")
    assert "Deadline S8-2 is back" in ask(store, "redo S8")
    assert "COP-2013 is on 4 May 2013 again" in ask(store, "redo COP-2013")
    assert state(store) == states[4]
    assert "Nothing to redo on S8" in ask(store, "redo S8")

    for _ in range(3):
        ask(store, "undo S8")
    ask(store, "undo COP-2013")
    assert state(store) == original


def test_a_new_change_after_an_undo_clears_the_redo_stack(store):
    ask(store, "update S17 First")
    ask(store, "update S17 Second")
    ask(store, "undo S17")
    ask(store, "update S17 Third")
    before = store.activity("S17")
    out = ask(store, "redo S17")
    assert "S17 changed since the last undo, so there is nothing to redo" in out
    assert store.activity("S17") == before
    # The undo walk skips what was undone already: Third, then First.
    assert "Third” is gone" in ask(store, "undo S17")
    assert "First” is gone" in ask(store, "undo S17")
    assert not any(line.endswith(("First", "Second", "Third")) for line in _status(store))


def test_undo_and_redo_survive_a_restart(tmp_path, tmp_path_factory):
    from store.repository import Store

    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    ask(s, "update S17 Kept")
    ask(s, "undo S17")
    s.close()
    s = Store.open(tmp_path / "brs.json", clock=lambda: asker().now)
    try:
        assert "Kept” is back" in ask(s, "redo S17")
        assert _status(s)[-1].endswith("Kept")
    finally:
        s.close()


def test_undo_of_an_unknown_name_says_what_exists(store):
    before = state(store)
    out = ask(store, "undo COP-2099")
    assert 'No activity or event "COP-2099"' in out and "events: COP-2013" in out
    assert state(store) == before


def _status(store):
    return store.activity("S17").rows[0].status
