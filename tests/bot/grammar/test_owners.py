"""`/brs owner` and Slack's escaped text: people by their IDs, typed text decoded back."""

from __future__ import annotations

import pytest

from bot.grammar import CommandError, parse
from bot.grammar.owners import Owners
from bot.grammar.words import decode_slack


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("owner S17", Owners("S17")),
        ("owner s17 <@U0JANE|jane>", Owners("S17", add=("U0JANE",))),
        ("/brs owner S17 <@U0JANE> <@U0OMAR|omar> <@U0JANE>", Owners("S17", ("U0JANE", "U0OMAR"))),
        ("owner S17 U0JANE", Owners("S17", add=("U0JANE",))),  # the console gives IDs
        ("owner S17 remove <@U0JANE|jane>", Owners("S17", remove=("U0JANE",))),
        ("owners S8 &lt;@U0JANE|jane&gt;", Owners("S8", add=("U0JANE",))),  # escaping off
    ],
)
def test_owner_commands(text, expected):
    assert parse(text, slack=True) == expected
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("owner S17 @jane", 'Slack sent "@jane" as plain text, without who it is: pick'),
        ("owner", '"owner" takes an activity code and people, like: /brs owner S17 @jane'),
        ("owner @jane", '"owner" takes an activity code and people'),
        ("owner S17 remove", "Say whom to remove, like: /brs owner S17 remove @jane"),
        ("owner S17 jane", '"jane" is not a person; like: /brs owner S17 @jane'),
    ],
)
def test_bad_owner_commands_say_the_right_form(text, message):
    with pytest.raises(CommandError) as e:
        parse(text, slack=True)
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("see <#C0GEN|general>, ask <@U0JANE|jane>", "see #general, ask @jane"),
        ("ask <@U0JANE>", "ask @U0JANE"),
        ("<!channel> <!here> <!subteam^S0TEAM|@focal-points>", "@channel @here @focal-points"),
        ("at <https://brs.int/x|brs.int/x> and <https://a.org>", "at brs.int/x and https://a.org"),
        ("the <https://a.org/r|report>", "the report (https://a.org/r)"),
        ("<mailto:jo@brs.int|jo@brs.int>", "jo@brs.int"),
        ("a &amp; b &lt;i&gt; &lt;@U1&gt;", "a & b <i> <@U1>"),  # typed <, > and & stay text
    ],
)
def test_slacks_escaped_forms_decode_to_what_was_typed(sent, typed):
    assert decode_slack(sent) == typed


def test_status_text_from_slack_is_decoded_and_from_the_console_kept():
    sent = "update S17 see <#C0GEN|general> at <https://brs.int|brs.int>"
    assert parse(sent, slack=True).text == "see #general at brs.int"
    assert parse(sent).text == "see <#C0GEN|general> at <https://brs.int|brs.int>"
