"""Changes return plain outcome values and know nothing of Block Kit; render words them."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from bot.changes import deadlines, edits
from bot.changes import outcomes as o
from bot.grammar import parse
from bot.grammar.edits import EDITS
from bot.render.results import render
from tests.bot.edit_store import EDITOR, asker, fresh_store
from tests.bot.slack_limits import assert_fits

CHANGES = Path(deadlines.__file__).parent


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("update S17 Responses received", o.StatusAdded),
        ("set S8 funding fully Donor X", o.FundingSet),
        ("edit S17", o.OpenForm),
        ("undo S17", o.NothingToUndo),
        ("update S99 x", o.Problem),
        ("deadline add S17 2027-01-31 Ship", o.DeadlineAdded),
        ("deadline add S17 2001-01-31 Ship", o.PastDate),
        ("event COP-2013 2013-05-08", o.EventMoved),
        ("remind off", o.Reminders),
    ],
)
def test_each_change_returns_an_outcome_that_renders_within_slacks_limits(store, text, kind):
    command = parse(text)
    module = edits if isinstance(command, EDITS) else deadlines
    outcome = module.apply(store, command, asker(EDITOR))
    assert type(outcome) is kind and dataclasses.is_dataclass(outcome)
    assert_fits(render(outcome))


def test_a_refusal_is_one_outcome_for_every_change(store):
    stranger = asker("U0STRANGER")
    refusals = [
        edits.apply(store, parse("update S17 x"), stranger),
        deadlines.apply(store, parse("deadline done S17-2"), stranger),
    ]
    assert all(isinstance(r, o.Refused) for r in refusals) and refusals[0] == refusals[1]


@pytest.mark.parametrize("path", sorted(CHANGES.glob("*.py")), ids=lambda p: p.name)
def test_changes_import_nothing_of_render_or_slack(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    above = [m for m in imported if m.startswith(("bot.render", "bot.slack", "slack_"))]
    assert above == []
