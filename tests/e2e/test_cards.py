"""Compact cards over signed HTTP: Share and mentions post them; "Full card" shows the rest."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from bot.render.card import FULL_CARD
from bot.render.home import DETAILS
from bot.render.text import blocks_to_text
from tests.bot.slack_limits import problems, view_problems
from tests.e2e import test_home
from tests.e2e.fake_slack import BOT_USER, TEAM
from tests.e2e.slack_requests import CHANNEL, USER, Slack
from tests.e2e.test_home import click

# The app with one editor on its own store, as the Home tests run it.
homely, slack = test_home.homely, test_home.slack


def _compact(blocks: list[dict]) -> str:
    text = blocks_to_text(blocks)
    assert "Latest:" in text and "Funding:" in text and "Next deadline:" in text
    assert "Decision requests" not in text  # the full card's rows are not in it
    assert [b["accessory"]["action_id"] for b in blocks if "accessory" in b] == [FULL_CARD]
    return text


def test_share_posts_the_compact_card_with_a_full_card_button(slack: Slack) -> None:
    slack.share("S17 brief")
    [post] = slack.fake.wait_for("chat.postMessage")
    slack.fake.wait_for("response")  # "Shared in …": let it land before the next test
    assert problems(post.body["blocks"], post.body["text"]) == []
    assert "S17 · Review arrangements" in _compact(post.body["blocks"])


def test_a_mention_with_a_code_gets_the_compact_card(slack: Slack) -> None:
    event = {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER}> what about s8?",
        "ts": "1700000300.000400",
        "channel": CHANNEL,
        "event_ts": "1700000300.000400",
    }
    assert slack.event(event).status == 200
    [post] = slack.fake.wait_for("chat.postMessage")
    assert "S8 · " in _compact(post.body["blocks"])


def test_full_card_in_a_channel_answers_the_presser_with_the_whole_card(slack: Slack) -> None:
    response_url = slack.fake.response_url("full-1")
    payload = {
        "type": "block_actions",
        "user": {"id": USER, "username": "asker", "team_id": TEAM},
        "api_app_id": "A0BRS",
        "token": "legacy-unused",
        "container": {"type": "message", "message_ts": "1.2", "channel_id": CHANNEL},
        "trigger_id": "2.trigger",
        "team": {"id": TEAM, "domain": "fake"},
        "channel": {"id": CHANNEL, "name": "general"},
        "response_url": response_url,
        "actions": [{"type": "button", "action_id": FULL_CARD, "block_id": "b", "value": "S17",
                     "text": {"type": "plain_text", "text": "Full card"}, "action_ts": "1.3"}],
    }  # fmt: skip
    body = urlencode({"payload": json.dumps(payload)})
    assert slack.post(body, "application/x-www-form-urlencoded").status == 200
    path = "/" + response_url.split("/", 3)[3]
    [note] = [c for c in slack.fake.wait_for("response") if c.path == path]
    assert note.body["response_type"] == "ephemeral"
    text = blocks_to_text(note.body["blocks"])
    assert "Decision requests" in text and "Status of implementation (newest first)" in text


def test_full_card_from_the_home_modal_is_pushed_on_top(slack: Slack) -> None:
    click(slack, "U0READER", DETAILS, "S17")
    slack.fake.wait_for("views.open")
    # The same button, pressed inside the modal Details opened.
    assert click(slack, "U0READER", FULL_CARD, "S17").status == 200
    (push,) = slack.fake.wait_for("views.push")
    assert view_problems(push.body["view"]) == []
    assert "Deadlines" in blocks_to_text(push.body["view"]["blocks"])
