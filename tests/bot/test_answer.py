"""answer(): parse, query, render; bad input of any kind gets an error reply, never an exception."""

from __future__ import annotations

import json
import random
import subprocess
import sys

from bot.answer import Answers
from tests.bot.conftest import TODAY
from tests.bot.slack_limits import assert_fits, share_value


def answer(store, text: str, **kw):
    """One command answered as the app does, from a fresh Answers on `store`."""
    return Answers(store).answer(text, **kw)


def test_a_command_becomes_a_reply(store) -> None:
    reply = answer(store, "/brs s17", today=TODAY)
    assert reply.blocks[0]["text"]["text"] == "S17 · Review arrangements"
    assert share_value(reply) == "S17 brief"  # Share posts the compact card


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


# A child process answers `/brs S17` as `brs console` does, then lists what got imported.
_CONSOLE_CHILD = """
import io, json, sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
from bot.console import run_console
from store.bootstrap import open_store

clock = lambda: datetime(2012, 8, 20, 7, tzinfo=UTC)
out = io.StringIO()
with open_store(sys.argv[1], clock=clock) as store:
    lines = io.StringIO("/brs S17\\n")
    run_console(store, lines=lines, out=out, clock=clock, tz=ZoneInfo("Europe/Zurich"))
print(json.dumps({"out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _console_answer(tmp_path) -> tuple[str, set[str]]:
    run = subprocess.run(
        [sys.executable, "-c", _CONSOLE_CHILD, str(tmp_path / "brs.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(run.stdout)
    return got["out"], set(got["modules"])


def test_the_console_answers_without_slack_bolt(tmp_path) -> None:
    out, modules = _console_answer(tmp_path)
    assert "S17 · Review arrangements" in out and "in 11 days" in out
    assert not {m for m in modules if m.split(".")[0] == "slack_bolt"}


def test_the_console_answers_without_importing_slack_sdk_at_all(tmp_path) -> None:
    out, modules = _console_answer(tmp_path)
    assert "S17 · Review arrangements" in out
    assert not {m for m in modules if m.split(".")[0] in ("slack_sdk", "slack_bolt")}
