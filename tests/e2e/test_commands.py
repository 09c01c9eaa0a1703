"""Every read-only `/brs` command over real signed HTTP, answered in the ack, within Slack's limits."""

from __future__ import annotations

import time

import pytest

from bot.render.text import blocks_to_text
from tests.bot.slack_limits import problems
from tests.e2e.slack_requests import Slack

COMMANDS = [
    ("help", ["/brs S17", "/brs deadlines"]),
    ("", ["brs · BRS synergies status report"]),
    ("S17", ["S17 · Review arrangements", "31 August 2012 · in 11 days"]),
    ("s4", ["S4 · Develop partnerships", "Request 2 of 2"]),
    ("list", ["All activities", "S17", "Review arrangements"]),
    ("section II", ["Scientific and technical activities"]),
    ("funding", ["Funding overview", "Not yet funded (6)"]),
    ("funding partly", ["Partly funded (4)"]),
    ("deadlines", ["Overdue (1)", "Upcoming (9)"]),
    ("search questionnaire", ["Search: questionnaire", "Review arrangements"]),
    ("history S17", ["History · S17 Review arrangements"]),
]


def _share_value(blocks: list[dict]) -> str | None:
    last = blocks[-1]
    if last["type"] != "actions":
        return None
    return next(e["value"] for e in last["elements"] if e["action_id"] == "share")


@pytest.mark.parametrize(("text", "expected"), COMMANDS, ids=[t or "empty" for t, _ in COMMANDS])
def test_read_only_command_answers_in_the_ack(slack: Slack, text: str, expected: list[str]) -> None:
    answer = slack.command(text)

    assert answer.status == 200
    reply = answer.json()
    assert reply["response_type"] == "ephemeral"
    assert problems(reply["blocks"], reply["text"]) == []
    shown = blocks_to_text(reply["blocks"])  # as the console prints it: what a user reads
    for words in expected:
        assert words in shown
    assert _share_value(reply["blocks"]), "answers carry a Share in channel button"
    assert slack.fake.calls("chat.postMessage") == []  # nothing public before a Share


def test_an_activity_card_shows_what_the_console_shows(slack: Slack) -> None:
    reply = slack.command("S17").json()

    text = blocks_to_text(reply["blocks"])
    assert "Review arrangements" in text
    assert "Collect responses from parties" in text
    assert _share_value(reply["blocks"]) == "S17 brief"  # Share posts the compact card


def test_unknown_command_gets_an_ephemeral_error_without_share(slack: Slack) -> None:
    reply = slack.command("frobnicate S17").json()

    assert reply["response_type"] == "ephemeral"
    assert 'Unknown command "frobnicate"' in reply["text"]
    assert problems(reply["blocks"], reply["text"]) == []
    assert _share_value(reply["blocks"]) is None


def test_unknown_code_lists_the_valid_ones(slack: Slack) -> None:
    reply = slack.command("S99").json()

    assert "S17" in reply["text"] and "S99" in reply["text"]


def test_forged_signature_gets_401(slack: Slack) -> None:
    answer = slack.post(
        "command=%2Fbrs&text=S17", "application/x-www-form-urlencoded", signature="v0=" + "0" * 64
    )

    assert answer.status == 401


def test_stale_timestamp_gets_401(slack: Slack) -> None:
    assert slack.command("S17", age=301).status == 401


def test_acknowledged_well_inside_three_seconds(slack: Slack) -> None:
    slack.command("S17")  # the first request of a run also calls auth.test
    start = time.perf_counter()
    assert slack.command("deadlines").status == 200
    assert time.perf_counter() - start < 0.5
