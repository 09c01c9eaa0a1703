"""The /brs grammar: every read-only form, and a one-line message for every bad input."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Help()),
        ("   ", Help()),
        ("help", Help()),
        ("HELP", Help()),
        ("/brs", Help()),
        ("/brs help", Help()),
        ("s17", Show("S17")),
        ("S17", Show("S17")),
        ("  /BRS    s17   ", Show("S17")),
        ("T3", Show("T3")),
        ("ab12", Show("AB12")),
        ("list", ListAll()),
        ("List", ListAll()),
        ("section II", InSection("II")),
        ("section  ii", InSection("ii")),
        ("section 2", InSection("2")),
        ("section scientific   technical", InSection("scientific technical")),
        ("funding", Funding()),
        ("funding not-yet", Funding("not_yet")),
        ("funding not_yet", Funding("not_yet")),
        ("funding notyet", Funding("not_yet")),
        ("funding Not Yet", Funding("not_yet")),
        ("FUNDING partly", Funding("partly")),
        ("funding fully", Funding("fully")),
        ("funding mixed", Funding("mixed")),
        ("funding none", Funding("none")),
        ("deadlines", Deadlines()),
        ("deadlines 30", Deadlines(30)),
        ("deadlines 0", Deadlines(0)),
        ("search questionnaire", Search("questionnaire")),
        ("search   review   arrangements ", Search("review arrangements")),
        ("search a &amp; b", Search("a & b")),  # Slack sends & < > as entities
        ("history s17", History("S17")),
        ("/brs History S17", History("S17")),
    ],
)
def test_each_form_parses(text: str, expected: object) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "right_form"),
    [
        ("deadlines soon", "/brs deadlines 30"),
        ("deadlines -3", "/brs deadlines 30"),
        ("deadlines 3 4", "/brs deadlines 30"),
        ("deadlines ３０", "/brs deadlines 30"),
        ("section", "/brs section II"),
        ("funding maybe", "/brs funding not-yet"),
        ("funding partly fully", "/brs funding not-yet"),
        ("search", "/brs search questionnaire"),
        ("search ?!", "/brs search questionnaire"),
        ("history", "/brs history S17"),
        ("history review", "/brs history S17"),
        ("history S1 S2", "/brs history S17"),
        ("list all", "/brs list"),
        ("help me", "/brs help"),
        ("S17 please", "/brs S17"),
        ("frobnicate", "/brs help"),
        ("serch x", "Did you mean /brs search?"),
    ],
)
def test_bad_input_gets_one_line_with_the_right_form(text: str, right_form: str) -> None:
    with pytest.raises(CommandError) as info:
        parse(text)
    message = str(info.value)
    assert right_form in message
    assert "\n" not in message
    assert len(message) < 120


def test_unknown_command_names_what_was_typed() -> None:
    with pytest.raises(CommandError, match=r'^Unknown command "frobnicate"\. .*/brs help'):
        parse("/brs frobnicate now")


def test_echo_of_long_or_multiline_input_stays_short() -> None:
    with pytest.raises(CommandError) as info:
        parse("x" * 5000 + "\nmore\nlines")
    assert "\n" not in str(info.value)
    assert len(str(info.value)) < 120


@pytest.mark.parametrize(
    "text",
    [
        "s17",
        "list",
        "section vii",
        "funding",
        "funding notyet",
        "deadlines 7",
        "search a b",
        "help",
        "history t3",
    ],
)
def test_canonical_text_parses_back_to_the_same_command(text: str) -> None:
    command = parse(text)
    assert parse(command.text) == command
