"""The Share button, mentions and direct messages, through the fake Slack, with its faults."""

from __future__ import annotations

import time

from bot.render.text import blocks_to_text
from tests.bot.slack_limits import problems, view_problems
from tests.e2e.fake_slack import BOT_ID, BOT_USER
from tests.e2e.slack_requests import CHANNEL, USER, Slack


def _posted_blocks_fit(call) -> None:
    assert problems(call.body["blocks"], call.body["text"]) == []


def test_share_posts_the_card_to_the_channel_with_who_shared_it(slack: Slack) -> None:
    answer, response_url = slack.share("S17")

    assert answer.status == 200
    [post] = slack.fake.wait_for("chat.postMessage")
    assert post.body["channel"] == CHANNEL
    assert post.headers["Authorization"] == "Bearer xoxb-0000-fake"
    text = str(post.body["blocks"])
    assert "Review arrangements" in text and f"Shared by <@{USER}>" in text
    assert all(b["type"] != "actions" for b in post.body["blocks"]), "no Share button in public"
    _posted_blocks_fit(post)
    [note] = slack.fake.wait_for("response")
    assert note.path == "/" + response_url.split("/", 3)[3]
    assert note.body["response_type"] == "ephemeral"
    assert f"Shared in <#{CHANNEL}>" in note.body["text"]


def test_rate_limited_post_is_retried_after_retry_after_and_posted_once(slack: Slack) -> None:
    slack.fake.fail("chat.postMessage", 429, times=1, retry_after=1)
    start = time.perf_counter()

    answer, _ = slack.share("S17")

    assert answer.status == 200
    assert time.perf_counter() - start < 0.5, "the ack does not wait for the post and its retry"
    slack.fake.wait_for("response")
    calls = slack.fake.calls("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert "Shared in" in slack.fake.calls("response")[0].body["text"]


def test_server_errors_twice_then_posted(slack: Slack) -> None:
    slack.fake.fail("chat.postMessage", 500, times=2)

    slack.share("deadlines")

    slack.fake.wait_for("response")
    assert [c.status for c in slack.fake.calls("chat.postMessage")] == [500, 500, 200]
    assert "Shared in" in slack.fake.calls("response")[0].body["text"]


def test_a_post_that_finally_fails_is_reported_to_the_sharer(slack: Slack) -> None:
    slack.fake.fail("chat.postMessage", 500, times=10)

    slack.share("S17")

    [note] = slack.fake.wait_for("response")
    assert [c.status for c in slack.fake.calls("chat.postMessage")] == [500, 500, 500]
    assert note.body["response_type"] == "ephemeral"
    assert note.body["replace_original"] is False, "the card stays, to share again later"
    assert "Could not share" in note.body["text"] and "500" in note.body["text"]


def test_not_in_channel_tells_the_sharer_to_invite_the_bot(slack: Slack) -> None:
    slack.fake.refuse(CHANNEL, "not_in_channel")

    slack.share("S17")

    [note] = slack.fake.wait_for("response")
    assert "/invite @brs" in note.body["text"]


def test_sharing_a_command_that_no_longer_answers_posts_nothing(slack: Slack) -> None:
    slack.share("S99")

    [note] = slack.fake.wait_for("response")
    assert "No activity" in note.body["text"]
    assert slack.fake.calls("chat.postMessage") == []


def test_mention_with_a_code_answers_in_the_thread(slack: Slack) -> None:
    event = {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER}> what about s8?",
        "ts": "1700000100.000200",
        "channel": CHANNEL,
        "event_ts": "1700000100.000200",
    }

    assert slack.event(event).status == 200

    [post] = slack.fake.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1700000100.000200"
    assert post.body["channel"] == CHANNEL
    assert "S8 · " in post.body["text"]
    _posted_blocks_fit(post)


def test_mention_inside_a_thread_stays_in_that_thread(slack: Slack) -> None:
    event = {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER}> funding partly",
        "ts": "1700000200.000300",
        "thread_ts": "1700000100.000200",
        "channel": CHANNEL,
    }

    slack.event(event)

    [post] = slack.fake.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1700000100.000200"
    assert "Partly funded" in post.body["text"]


def test_mention_without_a_code_gets_short_help(slack: Slack) -> None:
    event = {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER}> hello there",
        "ts": "1700000300.000100",
        "channel": CHANNEL,
    }

    slack.event(event)

    [post] = slack.fake.wait_for("chat.postMessage")
    assert "what about S8?" in post.body["text"]
    _posted_blocks_fit(post)


def test_direct_message_is_answered_as_a_command(slack: Slack) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": USER,
        "text": "deadlines 30",
        "ts": "1700000400.000100",
        "channel": "D0DIRECT",
    }

    assert slack.event(event).status == 200

    [post] = slack.fake.wait_for("chat.postMessage")
    assert post.body["channel"] == "D0DIRECT"
    assert "Deadlines" in post.body["text"] and "thread_ts" not in post.body
    _posted_blocks_fit(post)


def test_direct_message_with_a_typo_gets_the_error_and_the_way_out(slack: Slack) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": USER,
        "text": "hello",
        "ts": "1700000500.000100",
        "channel": "D0DIRECT",
    }

    slack.event(event)

    [post] = slack.fake.wait_for("chat.postMessage")
    assert "/brs help" in post.body["text"]


def test_bot_messages_and_edits_in_a_dm_are_left_alone(slack: Slack) -> None:
    own = {
        "type": "message",
        "channel_type": "im",
        "user": BOT_USER,
        "bot_id": BOT_ID,
        "text": "S17",
        "ts": "1700000600.000100",
        "channel": "D0DIRECT",
    }
    edit = {
        "type": "message",
        "subtype": "message_changed",
        "channel_type": "im",
        "channel": "D0DIRECT",
        "ts": "1700000600.000200",
        "message": {"text": "S17"},
    }

    assert slack.event(own).status == 200
    assert slack.event(edit).status == 200
    assert slack.fake.wait_for("chat.postMessage", timeout=0.3) == []


def test_app_home_shows_the_dashboard(slack: Slack) -> None:
    event = {"type": "app_home_opened", "user": USER, "channel": "D0DIRECT", "tab": "home"}

    assert slack.event(event).status == 200

    [publish] = slack.fake.wait_for("views.publish")
    view = publish.body["view"]
    assert publish.body["user_id"] == USER and view["type"] == "home"
    assert view_problems(view) == []  # tests/e2e/test_home.py has the rest
    assert "S17 Review arrangements" in blocks_to_text(view["blocks"])
