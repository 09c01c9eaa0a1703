"""answer(): parse, query, render; bad input of any kind gets an error reply, never an exception."""

from __future__ import annotations

import random
import subprocess
import sys

from bot.answer import answer
from tests.bot.conftest import TODAY
from tests.bot.slack_limits import assert_fits, share_value


def test_a_command_becomes_a_reply(store) -> None:
    reply = answer(store, "/brs s17", today=TODAY)
    assert reply.blocks[0]["text"]["text"] == "S17 · Review arrangements"
    assert share_value(reply) == "S17"


def test_bad_input_gets_an_error_reply(store) -> None:
    reply = answer(store, "/brs frobnicate", today=TODAY)
    assert share_value(reply) is None
    assert "Unknown command" in reply.text and "/brs help" in reply.text


def test_no_input_raises(store) -> None:
    rng = random.Random(7)
    alphabet = "sS17 lisectonfudgarhy-_&<>!@|*\n\t/brs0123456789é€\u200b😀"
    words = ["section", "funding", "deadlines", "search", "history", "list", "help", "/brs"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        if rng.random() < 0.5:
            text = f"{rng.choice(words)} {text}"
        assert_fits(answer(store, text, today=TODAY))


def test_import_stays_cheap_and_free_of_slack_bolt() -> None:
    code = (
        "import sys, bot.answer; "
        "heavy = {'slack_bolt', 'tinydb', 'apscheduler', 'dateutil'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
