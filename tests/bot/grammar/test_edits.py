"""The grammar of update, set, edit and undo: what is read, and a clear line for what is not."""

from __future__ import annotations

import pytest

from bot.grammar import CommandError
from bot.grammar.edits import Edit, SetFunding, Undo, Update, parse


def words(text: str):
    verb, _, rest = text.partition(" ")
    return parse(verb, rest)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("update S17 Responses received from 40 parties",
         Update("S17", None, "Responses received from 40 parties")),
        ("update s4.2 Plans   drafted\tin\nthree countries",
         Update("S4", 2, "Plans drafted in three countries")),
        ("update S17 <!channel> & <@U1> <https://x|y>",
         Update("S17", None, "<!channel> & <@U1> <https://x|y>")),
        ("set S8 funding fully Received from donor X", SetFunding("S8", None, "fully", "Received from donor X")),
        ("set S8 FUNDING Not-Yet", SetFunding("S8", None, "not_yet", "")),
        ("set S8 funding not yet waiting for pledges", SetFunding("S8", None, "not_yet", "waiting for pledges")),
        ("set s4.1 funding none", SetFunding("S4", 1, "none", "")),
        ("set S8 funding partly  half of it", SetFunding("S8", None, "partly", "half of it")),
        ("edit s17", Edit("S17")),
        ("undo S17", Undo("S17")),
        ("UNDO s17", Undo("S17")),
    ],
)  # fmt: skip
def test_reads_each_form(text: str, expected) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("update", '"update" takes an activity code, like: /brs update S17 Responses'),
        ("update S17", '"update S17" needs the text to add, like: /brs update S17'),
        ("update S17    ", '"update S17" needs the text to add'),
        ("update hello world", '"update" takes an activity code first'),
        ("set S8", '"set" takes a code, a field and a value, like: /brs set S8 funding fully'),
        ("set S8 colour red", 'Unknown field "colour": /brs set changes funding, like:'),
        ("set S8 funding", '"set S8 funding" needs a status: not-yet, partly, fully or none'),
        ("set S8 funding maybe soon", 'Unknown funding status "maybe"; use not-yet, partly, fully or none'),
        ("set S8 funding mixed", 'Unknown funding status "mixed"'),
        ("edit", '"edit" takes an activity code, like: /brs edit S17'),
        ("edit S17 now", '"edit" takes only an activity code, like: /brs edit S17'),
        ("undo S4.2", '"undo" takes only an activity code, like: /brs undo S17'),
    ],
)  # fmt: skip
def test_bad_input_says_what_was_wrong_and_the_right_form(text: str, message: str) -> None:
    with pytest.raises(CommandError) as e:
        words(text)
    assert message in str(e.value)
    assert "\n" not in str(e.value)
