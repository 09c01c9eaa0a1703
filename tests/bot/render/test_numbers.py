"""Numbers that agree and read well: activities counted once, days as people say them, one
vocabulary of funding words."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from bot.exports.spreadsheet import render_csv
from bot.grammar.words import GROUP_WORDS
from store.model import FUNDING_LABELS
from tests.bot.console_run import console
from tests.bot.edit_store import fresh_store

WORDS = "not-yet, partly, fully, mixed, none"


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def test_the_funding_overview_counts_activities_once(store):
    (out,) = console(store, "/brs funding")
    counts = [int(n) for n in re.findall(r"(\d+) (?:not yet|partly|fully|mixed|no funding)", out)]
    assert sum(counts[:5]) == 18  # S4's two requests sit in two groups
    assert (
        "17 activities (S4 is listed under each of its groups, so the groups add up to 18)" in out
    )
    assert len(store.activities()) == 17


def test_days_read_as_weeks_months_and_years(store):
    (card,) = console(store, "/brs S17", now=datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert "14 years overdue" in card and "days overdue" not in card
    (soon,) = console(store, "/brs deadlines", now=datetime(2012, 8, 10, 9, tzinfo=UTC))
    assert "S17-2 31 August 2012 · in 3 weeks" in soon


def test_one_vocabulary_of_funding_words(store):
    (helped,) = console(store, "/brs help")
    assert "/brs funding not-yet (partly, fully, mixed, none)" in helped
    (wrong,) = console(store, "/brs funding blue")
    assert "(or partly, fully, mixed, unclear, none)" in wrong and "/brs funding not-yet" in wrong
    rows = csv.DictReader(io.StringIO(render_csv(store.activities()).lstrip("\ufeff")))
    assert {r["funding_status"] for r in rows} == {"not-yet", "partly", "mixed", "none"}
    assert "not_yet" not in render_csv(store.activities())
    assert list(GROUP_WORDS) == list(FUNDING_LABELS)  # a word for every label, in one order
