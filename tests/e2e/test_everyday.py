"""Everyday changes over signed HTTP: undo/redo walk, events, deadline move, snooze, help."""

from __future__ import annotations

from datetime import date

from jobs.ledger import Ledger
from tests.e2e import test_updates
from tests.e2e.test_updates import EDITOR, STRANGER, shown

# The app with two editors on its own store, as the editing tests run it.
editing, slack = test_updates.editing, test_updates.slack


def test_undo_and_redo_walk_through_a_mixed_sequence(slack, editing):
    store = editing.store
    original = (store.activity("S10"), store.deadlines("S10"), store.events())
    for text in (
        "set S10 funding fully Donor Y",
        "update S10 Money came",
        "deadline add S10 2030-12-01 Report to donors",
        "event COP-2031 2031-05-04",
    ):
        assert "✅" in shown(slack.command(text, user=EDITOR))
    assert "COP-2031 has no date" in shown(slack.command("undo COP-2031", user=EDITOR))
    assert "is gone" in shown(slack.command("undo S10", user=EDITOR))
    assert "Money came” is gone" in shown(slack.command("undo S10", user=EDITOR))
    assert "S10 funding is" in shown(slack.command("undo S10", user=EDITOR))
    assert (store.activity("S10"), store.deadlines("S10")) == original[:2]
    assert store.events() == original[2]  # COP-2031 is gone again
    assert "S10 funding is fully funded again" in shown(slack.command("redo S10", user=EDITOR))
    refused = shown(slack.command("redo S10", user=STRANGER))
    assert "Only the editors can change brs" in refused


def test_move_snooze_events_and_help(slack, editing):
    store = editing.store
    out = shown(slack.command("deadline move S17-3 in 3 weeks", user=EDITOR))
    assert "Moved S17-3 to 10 September 2012" in out
    assert store.deadline("S17-3").on == date(2012, 9, 10)
    assert "no reminder before 27 August 2012" in shown(
        slack.command("snooze S17-2 1w", user=EDITOR)
    )
    assert Ledger(store).snapshot().snoozes()["S17-2"] == date(2012, 8, 27)
    assert "COP-2013 · 28 April 2013" in shown(slack.command("events", user=STRANGER))
    assert "/brs deadline move" in shown(slack.command("help deadline", user=STRANGER))
