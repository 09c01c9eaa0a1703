"""Forgiving search: a near word of the report when nothing matches; the index is built once
per store version."""

from __future__ import annotations

import pytest

from bot.grammar import parse
from bot.queries import search as search_module
from bot.queries.search import index, search
from tests.bot.console_run import console
from tests.bot.edit_store import fresh_store


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def test_a_misspelt_word_gets_the_reports_word(store):
    (out,) = console(store, "/brs search questionaire")
    assert 'Nothing matches "questionaire". Did you mean "questionnaire"?' in out
    assert "/brs search questionnaire" in out
    (found,) = console(store, "/brs search questionnaire")
    assert "S17" in found and "Did you mean" not in found


def test_no_suggestion_when_a_word_is_nowhere_near(store):
    (out,) = console(store, "/brs search zzzqqqxx")
    assert "Did you mean" not in out and "Try fewer or shorter words" in out


def test_the_index_is_built_once_per_store_version(store, monkeypatch):
    built = []
    real = search_module._text
    monkeypatch.setattr(search_module, "_text", lambda a: built.append(a.code) or real(a))
    for _ in range(3):
        search(store, parse("search questionnaire"))
    assert len(built) == len(store.activities())
    store.commit("U0EDITOR", [("activity:S1", "title", store.activity("S1").title, "Renamed")])
    assert "renamed" in index(store).folded[0][1]
    assert len(built) == 2 * len(store.activities())
