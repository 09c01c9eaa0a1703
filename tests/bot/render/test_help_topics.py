"""`/brs help <command>`: one command in detail, in the console as in Slack."""

from __future__ import annotations

import pytest

from bot.grammar.reads import TOPICS as GRAMMAR_TOPICS
from bot.render.help import TOPICS
from tests.bot.console_run import console
from tests.bot.edit_store import fresh_store


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def test_every_topic_the_grammar_takes_has_its_text():
    assert set(GRAMMAR_TOPICS) == set(TOPICS)


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("/brs help deadline", "/brs deadline move S17-3 31 January 2030"),
        ("help snooze", "/brs snooze S17-2 1w"),
        ("/brs help S17", "/brs S17 all"),
        ("/brs help undo", "again takes back the one before"),
        ("/brs help funding", "not-yet, partly, fully, mixed and none"),
    ],
)
def test_help_on_one_command(store, line, shown):
    (out,) = console(store, line)
    assert out.lstrip().startswith("brs help · ") and shown in out


def test_help_on_an_unknown_word_suggests_one(store):
    (out,) = console(store, "/brs help dedline")
    assert 'No help on "dedline". Did you mean /brs help deadline?' in out


def test_help_alone_lists_every_command_with_the_new_ones(store):
    (out,) = console(store, "/brs help")
    for form in ("/brs redo S17", "/brs snooze S17-2 1w", "/brs events", "/brs help deadline"):
        assert form in out
