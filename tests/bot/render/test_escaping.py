"""Text people type, as Slack sends it, stored as typed and inert in every view it reaches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.answer import Answers
from bot.queries.digest import digest
from bot.render.reminders import digest_message, reminder_message
from bot.render.text import blocks_to_text
from tests.bot.edit_store import NASTY, NOW, asker, fresh_store
from tests.bot.slack_limits import assert_fits, problems


def answer(store, text: str, **kw):
    """One command answered as the app does, from a fresh Answers on `store`."""
    return Answers(store).answer(text, **kw)


TODAY = NOW.date()
# What Slack puts in command text for NASTY: &, < and > arrive as entities.
SENT = NASTY.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def ask(store, text: str):
    reply = answer(store, text, today=TODAY, asker=asker(name="jane.doe"))
    assert_fits(reply)  # fails on any live <, > or & in mrkdwn: nothing pings, nothing links
    return reply


def test_slack_entities_are_decoded_once_and_stored_as_typed(store):
    ask(store, f"update S17 {SENT}")
    ask(store, f"set S8 funding fully {SENT}")
    assert store.activity("S17").rows[0].status[-1] == f"27 November 2026 (jane.doe): {NASTY}"
    assert store.activity("S8").rows[0].funding_lines[-1] == f"Fully funded: {NASTY}"


@pytest.mark.parametrize(
    "query",
    ["S17", "S8", "history S17", "history S8", "list", "search evil", "funding", "funding fully"],
)
def test_every_query_view_shows_typed_text_inert(store, query):
    ask(store, f"update S17 {SENT}")
    ask(store, f"set S8 funding fully {SENT}")
    ask(store, "undo S17")
    ask(store, "redo S17")  # the line is back, and in the history twice more
    ask(store, query)


def test_the_card_and_history_read_as_typed(store):
    ask(store, f"update S17 {SENT}")
    assert NASTY in blocks_to_text(ask(store, "S17").blocks)
    assert NASTY in blocks_to_text(ask(store, "history S17").blocks)


def test_replies_to_changes_show_typed_text_inert(store):
    ask(store, f"update S17 {SENT}")
    ask(store, f"set S8 funding partly {SENT}")
    ask(store, "undo S8")


def test_reminders_and_the_digest_show_typed_text_inert(store):
    due = TODAY + timedelta(days=7)
    ask(store, f"deadline add S17 {due.isoformat()} {SENT}")
    dl = next(d for d in store.deadlines("S17") if d.due == NASTY)
    message = reminder_message(
        key=f"{dl.id}|7",
        deadline=dl,
        on=due,
        lead=7,
        title=store.activity("S17").title,
        today=TODAY,
        due_at=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        late=False,
    )
    assert problems(message.blocks, message.text) == []
    assert NASTY in blocks_to_text(message.blocks)
    d = digest(store, TODAY)
    monday = digest_message(
        monday=TODAY, deadlines=d.deadlines, unfunded=d.unfunded, due_at=NOW, late=False
    )
    assert problems(monday.blocks, monday.text) == []
    assert NASTY in blocks_to_text(monday.blocks)


def test_app_home_shows_typed_text_inert(store):
    from bot.queries.home import home_data
    from bot.render.home import home_view
    from tests.bot.slack_limits import view_problems

    ask(store, f"deadline add S17 {(TODAY + timedelta(days=3)).isoformat()} {SENT}")
    ask(store, f"update S17 {SENT}")
    ask(store, f"set S8 funding fully {SENT}")
    for editor in (True, False):
        view = home_view(home_data(store, today=TODAY, editor=editor))
        assert view_problems(view) == []
        assert NASTY in blocks_to_text(view["blocks"])  # the new deadline, as typed
