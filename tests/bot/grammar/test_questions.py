"""Plain questions map onto the typed commands' filters; anything else says what to try."""

from __future__ import annotations

from datetime import date

import pytest

from bot.grammar import (
    CommandError,
    Deadlines,
    Funding,
    Help,
    History,
    InSection,
    ListAll,
    Search,
    Show,
    parse,
)
from bot.grammar.report_changes import Changes

THURSDAY = date(2026, 12, 3)
# Written from how a secretariat officer asks, not from running the grammar.
QUESTIONS = [
    ("what about S8?", Show("S8")),
    ("What about s8", Show("S8")),
    ("@brs what about S8?", None),  # the mention's own token is stripped by the listener
    ("how is S4 going?", Show("S4")),
    ("how's S17 doing?", Show("S17")),
    ("tell me about S12", Show("S12")),
    ("status of S-17?", Show("S17")),
    ("where are we with S 3?", Show("S3")),
    ("who owns S17?", Show("S17")),
    ("what happened to S17?", History("S17")),
    ("who changed S4?", History("S4")),
    ("history of S17?", History("S17")),
    ("what is due in the next 30 days?", Deadlines(30)),
    ("what's due in the next 2 weeks?", Deadlines(14)),
    ("whats due this week", Deadlines(7)),
    ("anything due today?", Deadlines(0)),
    ("what is due tomorrow?", Deadlines(1)),
    ("which deadlines are coming up?", Deadlines(30)),
    ("what is overdue?", Deadlines()),
    ("what deadlines did we miss?", Deadlines()),
    ("what is due within 3 months?", Deadlines(90)),
    ("which activities need funding?", Funding("not_yet")),
    ("what is not funded?", Funding("not_yet")),
    ("which activities are still unfunded?", Funding("not_yet")),
    ("what is partly funded?", Funding("partly")),
    ("which activities are partially funded?", Funding("partly")),
    ("what is fully funded?", Funding("fully")),
    ("which activities don't need funding?", Funding("none")),
    ("what has mixed funding?", Funding("mixed")),
    ("what in section III is not funded?", InSection("iii", "not_yet")),
    ("what is partly funded in section I?", InSection("i", "partly")),
    ("what is in section II?", InSection("ii")),
    ("which activities are in section scientific?", InSection("scientific")),
    ("how is the funding looking?", Funding()),
    ("show me all activities", ListAll()),
    ("what activities are there?", ListAll()),
    ("search for questionnaire", Search("questionnaire")),
    ("anything about e-waste?", Search("e-waste")),
    ("which activities mention clearing-house", Search("clearing-house")),
    ("what can you do?", Help()),
    ("what changed this week?", Changes(date(2026, 11, 30))),  # since Monday
    ("what has changed since 2012-06-01?", Changes(date(2012, 6, 1))),
    ("any changes in the last 10 days?", Changes(date(2026, 11, 23))),
    ("what is new?", Changes()),
    ("help", Help()),
]


@pytest.mark.parametrize(("text", "expected"), [q for q in QUESTIONS if q[1] is not None])
def test_each_question_maps_to_its_query(text: str, expected: object) -> None:
    assert parse(text, today=THURSDAY) == expected


@pytest.mark.parametrize("prefix", ["", "/brs "])
def test_the_slash_command_takes_questions_too(prefix: str) -> None:
    assert parse(f"{prefix}what about S8?") == Show("S8")


@pytest.mark.parametrize(
    "text", ["what is the meaning of life?", "how are you?", "why is the sky blue?"]
)
def test_a_question_it_cannot_place_says_what_to_try(text: str) -> None:
    with pytest.raises(CommandError) as info:
        parse(text)
    message = str(info.value)
    assert message.startswith("I did not understand")
    assert "/brs what about S8?" in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S 17", Show("S17")),
        ("s17", Show("S17")),
        ("17", Show("17")),  # the query resolves it when only one code ends in 17
        ("funding partially", Funding("partly")),
        ("funding unfunded", Funding("not_yet")),
        ("section III funding not-yet", InSection("III", "not_yet")),
    ],
)
def test_forgiving_forms(text: str, expected: object) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("serch questionnaire", "Did you mean /brs search?"),
        ("histroy S17", "Did you mean /brs history?"),
        ("deadline ad S17 2030-01-01 x", "deadline"),
        ("funding parly", "Did you mean partly?"),
        ("funding fuly", "Did you mean fully?"),
    ],
)
def test_slips_get_a_did_you_mean(text: str, hint: str) -> None:
    with pytest.raises(CommandError, match=hint.replace("?", r"\?")):
        parse(text)
