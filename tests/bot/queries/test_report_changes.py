"""`/brs changes`: per activity what the last import and Slack changed, with who and when."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.answer import Answers
from bot.grammar import CommandError, parse
from bot.grammar.report_changes import Changes
from bot.queries import run
from store.repository import Store
from tests.store.factories import activity, report, row

TIMES = [datetime(2012, m, d, 8, tzinfo=UTC) for m, d in [(5, 1), (7, 1), (7, 2)]]


@pytest.fixture
def store(tmp_path):
    times = iter(TIMES)
    now = [TIMES[0]]

    def clock():  # each commit one step later; then it stands still
        now[0] = next(times, now[0])
        return now[0]

    with Store.open(tmp_path / "brs.json", clock=clock) as s:
        s.import_report(report([activity("S1", 1), activity("S2", 2)], []))  # 1 May
        s.import_report(  # 1 July: S2's funding moved
            report([activity("S1", 1), activity("S2", 2, rows=[row(funding="partly")])], [])
        )
        old = list(s.activity("S1").rows[0].status)
        s.commit("U0ALICE", [("activity:S1", "rows.0.status", old, [*old, "Draft sent."])])
        yield s


def test_grammar():
    assert parse("/brs changes") == Changes()
    assert parse("changes since 2012-06-01") == Changes(date(2012, 6, 1))
    with pytest.raises(CommandError, match="since 2012-06-01"):
        parse("changes since June")


def test_changes_since_the_last_import(store):
    result = run(store, Changes(), today=date(2012, 7, 10))
    got = {a.code: [(x.what, x.user) for x in a.lines] for a in result.activities}
    assert got == {
        "S1": [("status line added: Draft sent.", "U0ALICE")],
        "S2": [("funding moved: not yet funded → partly funded", "import")],
    }
    assert result.since == "the last import (2012-07-01)"


def test_changes_since_a_date_include_the_first_import(store):
    result = run(store, Changes(date(2012, 4, 1)), today=date(2012, 7, 10))
    s2 = next(a for a in result.activities if a.code == "S2")
    assert [x.what for x in s2.lines][0] == "activity added"
    assert run(store, Changes(date(2012, 8, 1)), today=date(2012, 8, 2)).activities == ()


def test_the_reply_names_who_and_when(store):
    reply = Answers(store).answer("/brs changes", today=date(2012, 7, 10))
    text = "\n".join(b["text"]["text"] for b in reply.blocks if b["type"] == "section")
    assert "*S1*" in text and "status line added: Draft sent." in text
    assert "the import" in text and "July 2012" in text
    assert len(reply.blocks) <= 50


def test_deadlines_added_moved_reworded_and_done(tmp_path):
    from tests.store.factories import deadline

    times = iter([datetime(2012, 5, 1, 8, tzinfo=UTC), datetime(2012, 7, 1, 8, tzinfo=UTC)])
    last = [datetime(2012, 5, 1, 8, tzinfo=UTC)]

    def clock():
        last[0] = next(times, last[0])
        return last[0]

    first = [
        deadline("S1-1", date(2012, 8, 31), "responses"),
        deadline("S1-2", date(2012, 9, 1), "a study"),
    ]
    with Store.open(tmp_path / "brs.json", clock=clock) as s:
        s.import_report(report([activity("S1", 1)], first))
        s.import_report(
            report(
                [activity("S1", 1)],
                [
                    deadline("S1-1", date(2012, 8, 31), "responses from all parties"),  # reworded
                    deadline("S1-2", date(2012, 10, 1), "a study"),  # moved
                    deadline("S1-3", date(2013, 1, 1), "a report"),  # added
                ],
            )
        )
        s.commit("U0BOB", [("deadline:S1-1", "done", False, True)])
        (a,) = run(s, Changes(), today=date(2012, 7, 10)).activities
    got = [x.what for x in a.lines]
    assert got == [
        "deadline reworded: S1-1",
        "deadline moved: S1-2 on 2012-09-01 → 2012-10-01",
        "deadline added: S1-3 a report (2013-01-01)",
        "deadline done: S1-1",
    ]
