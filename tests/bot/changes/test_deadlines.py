"""`/brs deadline add|done|remove`, `/brs event`, `/brs remind`: grammar, checks, history."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.changes import deadlines
from bot.changes.editors import Asker, refusal
from bot.grammar import CommandError
from bot.grammar.deadlines import (
    AddDeadline,
    FinishDeadline,
    Remind,
    RemoveDeadline,
    SetEvent,
    parse,
    read_date,
)
from bot.render.results import render
from bot.render.text import blocks_to_text
from bot.settings import Settings
from jobs.reminders import CHANNEL_SETTING
from store.bootstrap import open_store

TZ = ZoneInfo("Europe/Zurich")
NOW = datetime(2012, 8, 20, 9, 0, tzinfo=TZ)
EDITORS = Settings(editors=frozenset({"U0EDITOR"}))


def words(text: str):
    verb, *rest = text.split()
    return parse(verb, rest)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "deadline add S17 2012-08-31 Collect responses",
            AddDeadline("S17", "Collect responses", date(2012, 8, 31), phrase="2012-08-31"),
        ),
        (
            "deadline add s17 31 August 2012 Collect responses by mail",
            AddDeadline(
                "S17", "Collect responses by mail", date(2012, 8, 31), phrase="31 August 2012"
            ),
        ),
        (
            "deadline add S17 90 days before COP-2013 Publish the report",
            AddDeadline(
                "S17", "Publish the report", None, "COP-2013", -90, "90 days before COP-2013"
            ),
        ),
        (
            "deadline add S17 1 day after cop-2013 Follow up",
            AddDeadline("S17", "Follow up", None, "cop-2013", 1, "1 days after cop-2013"),
        ),
        ("deadline done s17-2", FinishDeadline("S17-2")),
        ("deadline remove S17-5", RemoveDeadline("S17-5")),
        ("event COP-2013 2013-04-28", SetEvent("COP-2013", date(2013, 4, 28))),
        ("event COP-2013 28 April 2013", SetEvent("COP-2013", date(2013, 4, 28))),
        ("remind here", Remind("here")),
        ("remind OFF", Remind("off")),
        ("remind", Remind(None)),
    ],
)
def test_the_grammar(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2013-05-08", date(2013, 5, 8)),  # not 5 August: a year first is year-month-day
        ("2013/05/08", date(2013, 5, 8)),
        ("08/05/2013", date(2013, 5, 8)),  # day first, as written in Geneva
        ("8 May 2013", date(2013, 5, 8)),
        ("May 8, 2013", date(2013, 5, 8)),
    ],
)
def test_dates_people_write(phrase, expected):
    assert read_date(phrase) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("deadline", '"deadline" is followed by add, done, move or remove'),
        ("deadline add S17", '"deadline add" takes a code, a date and what is due'),
        ("deadline add S17 2012-08-31", '"deadline add" takes a code, a date and what is due'),
        (
            "deadline add S17 someday Collect",
            "Give a date and what is due, like: /brs deadline add",
        ),
        ("deadline add S17 31 August Collect", '"31 August" needs a day, a month and a year'),
        ("deadline add S17 2012-02-30 Collect", '"2012-02-30" is not a date: day is out of range'),
        ("deadline done", '"deadline done" takes a deadline\'s id, like: /brs deadline done S17-2'),
        ("deadline remove S17", '"deadline remove" takes a deadline\'s id'),
        ("event COP-2013", '"event" takes a name and a date'),
        ("event COP-2013 soon", 'Cannot read "soon" as a date.'),
        ("remind everyone", '"remind" takes "here" or "off"'),
    ],
)
def test_bad_forms_say_what_was_wrong_and_the_right_form(text, message):
    with pytest.raises(CommandError) as e:
        words(text)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "brs.json", clock=lambda: NOW) as s:
        yield s


def apply(store, change, asker):
    return render(deadlines.apply(store, change, asker))


def run(store, text: str, user: str = "U0EDITOR", settings: Settings = EDITORS, **kw) -> str:
    reply = apply(store, words(text), Asker(user, settings, NOW, **kw))
    return blocks_to_text(reply.blocks).strip()


def snapshot(store) -> tuple:
    return (store.deadlines(), store.events(), store.setting(CHANNEL_SETTING), len(history(store)))


def history(store) -> list:
    return [c for code in store.codes() for c in store.history(code)] + store.history(
        "event:COP-2013"
    )


def test_add_a_dated_deadline_records_who_in_the_history(store):
    out = run(store, "deadline add S17 2012-08-31 Collect responses")
    assert "Added S17-7 to S17: Collect responses — 31 August 2012 (in 11 days)." in out
    dl = store.deadline("S17-7")
    assert (dl.on, dl.due, dl.source, dl.is_open) == (
        date(2012, 8, 31),
        "Collect responses",
        "slack",
        True,
    )
    [record] = store.history("deadline:S17-7")
    assert (record.user, record.old) == ("U0EDITOR", None)


def test_add_a_deadline_relative_to_an_event(store):
    out = run(store, "deadline add S17 90 days before cop-2013 Publish the report")
    assert "28 January 2013" in out and "(90 days before COP-2013)" in out
    dl = store.deadline("S17-7")
    assert (dl.on, dl.event, dl.offset_days) == (None, "COP-2013", -90)
    assert dl.resolved(store.events()) == date(2013, 1, 28)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("deadline add S99 2012-09-01 Something", 'No activity "S99". Valid codes: S1, S2'),
        ("deadline add S17 2012-08-19 Too late", "19 August 2012 is in the past"),
        ("deadline add S17 300 days before COP-2013 Old", "is in the past"),
        ("deadline add S17 3 days before COP-2099 X", 'No event "COP-2099" with a date'),
        ("deadline done S17-99", "No deadline S17-99. S17's deadlines: S17-1, S17-2"),
        ("deadline done S17-5", "S17-5 is a milestone"),
        ("deadline remove S99-1", "No deadline S99-1. Like: /brs deadline remove S17-5"),
        ("event S17 2013-01-01", "S17 is an activity; give the event another name"),
    ],
)
def test_checks_change_nothing(store, text, message):
    before = snapshot(store)
    assert message in run(store, text)
    assert snapshot(store) == before


def test_done_marks_who_and_when_once(store):
    out = run(store, "deadline done S17-2")
    assert "S17-2 is done: Collect responses from parties. No more reminders for it." in out
    dl = store.deadline("S17-2")
    assert (dl.done, dl.done_by, dl.done_at) == (True, "U0EDITOR", "2012-08-20T07:00:00Z")
    assert {c.field for c in store.history("deadline:S17-2")[-3:]} == {"done", "done_by", "done_at"}
    before = snapshot(store)
    assert "S17-2 is already done by @U0EDITOR." in run(store, "deadline done S17-2")
    assert snapshot(store) == before


def test_remove_keeps_the_deadline_in_the_history(store):
    out = run(store, "deadline remove S17-3")
    assert "Removed S17-3: Develop a report." in out and "/brs history S17" in out
    assert store.deadline("S17-3") is None
    assert store.history("deadline:S17-3")[-1].new is None
    run(store, "deadline add S17 2012-09-01 Something new")
    assert store.deadline("S17-7") is not None  # ids are never reused


def test_moving_an_event_moves_its_deadlines(store):
    out = run(store, "event COP-2013 2013-05-08")
    assert "COP-2013 is on 8 May 2013 (was 28 April 2013)." in out
    assert "S17-4 7 February 2013" in out
    assert store.events()["COP-2013"] == date(2013, 5, 8)
    assert store.history("event:COP-2013")[-1].user == "U0EDITOR"


def test_remind_here_off_and_where(store):
    assert "Reminders are off." in run(store, "remind")
    out = run(store, "remind here", channel="C0TEAM")
    assert "Reminders now go to #C0TEAM." in out and "/invite @brs" in out
    assert store.setting(CHANNEL_SETTING) == "C0TEAM"
    assert "Reminders go to #C0TEAM." in run(store, "remind", user="U0OTHER")
    assert "Reminders are off." in run(store, "remind off")
    assert store.setting(CHANNEL_SETTING) == ""
    assert [c.new for c in store.history("setting:reminder_channel")] == ["C0TEAM", ""]


def test_the_console_reminds_in_the_console(store):
    out = run(store, "remind here", user="console", settings=Settings(), console=True)
    assert "Reminders now go here in the console." in out
    assert store.setting(CHANNEL_SETTING) == "console"


def test_the_schedule_note_follows_the_settings(store):
    settings = Settings(editors=frozenset({"U0EDITOR"}), lead_days=(7, 0))
    assert "7 and 0 days before each open deadline at 09:00 (Europe/Zurich)" in run(
        store, "remind", settings=settings
    )


@pytest.mark.parametrize(
    "text",
    [
        "deadline add S17 2012-09-01 X",
        "deadline done S17-2",
        "deadline remove S17-3",
        "event COP-2013 2013-05-08",
        "remind here",
        "remind off",
    ],
)
def test_non_editors_are_refused_and_nothing_changes(store, text):
    before = snapshot(store)
    reply = apply(store, words(text), Asker("U0OTHER", EDITORS, NOW, channel="C0TEAM"))
    expected = (
        "Only the editors can change brs: <@U0EDITOR>. Ask one of them (or to be added to them)."
    )
    assert reply.text == refusal(EDITORS).why == expected
    assert snapshot(store) == before


def test_with_brs_editors_unset_the_refusal_says_how_to_set_it(store):
    out = run(store, "deadline done S17-2", user="U0ANYONE", settings=Settings())
    assert "set BRS_EDITORS to the Slack user IDs of the editors" in out
    assert store.deadline("S17-2").is_open


def test_what_people_type_is_escaped_in_replies(store):
    out = apply(
        store,
        words("deadline add S17 2012-09-01 Ping <!channel> & <https://x|y>"),
        Asker("U0EDITOR", EDITORS, NOW),
    )
    text = str(out.blocks)
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; &lt;https://x|y&gt;" in text
    assert store.deadline("S17-7").due == "Ping <!channel> & <https://x|y>"  # stored as typed
