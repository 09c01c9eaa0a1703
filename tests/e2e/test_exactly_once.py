"""Posts whose answer is lost land once: reminders and shared cards against a fake Slack that
takes the post and then drops the connection or answers 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.compose import compose
from bot.slack.app import web_client
from bot.slack.outbox import SlackOutbox
from jobs.clock import SimClock
from jobs.reminders import Reminders
from store.bootstrap import open_store
from tests.e2e.fake_slack import DROP, FakeSlack
from tests.e2e.slack_requests import CHANNEL, Slack
from tests.e2e.test_reminders import REMIND, TZ, settings_for


@pytest.fixture
def due(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[tuple[Reminders, Any, SimClock]]:
    """Reminders through SlackOutbox; at 09:00 on 30 August S9-1 and S17-2 are due."""
    fake_slack.reset()
    clock = SimClock(datetime(2012, 8, 30, 8, 59, tzinfo=TZ))
    settings = settings_for(fake_slack, tmp_path / "brs.json", BRS_LEAD_DAYS="1,0")
    with open_store(settings.db_path, clock=clock) as store:
        reminders = Reminders(
            store, settings, SlackOutbox(web_client(settings)), clock, compose=compose
        )
        reminders.start()
        clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
        yield reminders, store, clock


def landed(fake: FakeSlack, channel: str) -> list[str]:
    return [
        (m.get("metadata") or {}).get("event_payload", {}).get("key")
        for m in fake.messages(channel)
    ]


@pytest.mark.parametrize("lost", [DROP, 500], ids=["connection-dropped", "500-after-accepting"])
def test_a_reminder_whose_answer_is_lost_lands_once(due, fake_slack: FakeSlack, lost) -> None:
    reminders, store, clock = due
    fake_slack.lose_answer("chat.postMessage", 1, status=lost)

    run = reminders.run()

    assert sorted(landed(fake_slack, REMIND)) == ["S17-2|1", "S9-1|1"]  # each exactly once
    assert sorted(p.item.key for p in run.posted) == ["S17-2|1", "S9-1|1"]
    # The first post was taken: it was found in the channel, not sent again.
    assert len(fake_slack.calls("chat.postMessage")) == 2
    assert [c.method for c in fake_slack.calls()].count("conversations.history") == 1
    assert store.reminder_entries()["S9-1|1"]["state"] == "sent"
    assert reminders.run().posted == ()


def test_a_reminder_not_taken_by_a_500_is_posted_after_looking(due, fake_slack) -> None:
    reminders, _, _ = due
    fake_slack.fail("chat.postMessage", 500, 1)  # refused before taking it

    reminders.run()

    assert sorted(landed(fake_slack, REMIND)) == ["S17-2|1", "S9-1|1"]
    methods = [c.method for c in fake_slack.calls() if c.method != "auth.test"]
    assert methods[:3] == ["chat.postMessage", "conversations.history", "chat.postMessage"]


def test_the_outbox_posts_with_no_blind_retries_but_waits_out_rate_limits(fake_slack) -> None:
    settings = settings_for(fake_slack, Path("unused.json"))
    outbox = SlackOutbox(web_client(settings))  # handed the app's retrying client

    handlers = outbox.poster._client.retry_handlers
    assert [type(h) for h in handlers] == [RateLimitErrorRetryHandler]


def test_a_rate_limited_reminder_waits_for_retry_after_and_lands_once(due, fake_slack) -> None:
    reminders, _, _ = due
    fake_slack.fail("chat.postMessage", 429, 1, retry_after=1)

    reminders.run()

    assert sorted(landed(fake_slack, REMIND)) == ["S17-2|1", "S9-1|1"]
    first, second = fake_slack.calls("chat.postMessage")[:2]
    assert first.status == 429 and second.at - first.at >= 0.9
    assert fake_slack.calls("conversations.history") == []  # a 429 is not taken: no need to look


@pytest.mark.parametrize("lost", [DROP, 500], ids=["connection-dropped", "500-after-accepting"])
def test_a_shared_card_whose_answer_is_lost_lands_once(slack: Slack, lost) -> None:
    slack.fake.lose_answer("chat.postMessage", 1, status=lost)

    answer, response_url = slack.share("S17")

    assert answer.status == 200
    notes = wait_responses(slack.fake, response_url)
    assert [n.get("text") for n in notes] == [f"Shared in <#{CHANNEL}>."]
    posted = slack.fake.messages(CHANNEL)
    assert len(posted) == 1 and "Review arrangements" in json.dumps(posted[0]["blocks"])


def wait_responses(fake: FakeSlack, url: str, timeout: float = 10.0) -> list[dict]:
    import time

    end = time.monotonic() + timeout
    while True:
        found = [c.body for c in fake.calls("response") if url.endswith(c.path)]
        if found or time.monotonic() > end:
            return found
        time.sleep(0.01)


def test_when_the_channel_cannot_be_checked_the_reminder_waits_and_is_found_later(
    due, fake_slack: FakeSlack
) -> None:
    reminders, store, clock = due
    fake_slack.lose_answer("chat.postMessage", 1, status=DROP)
    fake_slack.fail("conversations.history", 500, 3)  # and the lookup fails, retries included

    run = reminders.run()

    assert [i.key for i in run.failed] == ["S9-1|1"]  # not posted again blindly
    assert store.reminder_entries()["S9-1|1"]["state"] == "sending"
    clock.set(run.next_at)  # the retry: the lookup works now and finds it
    again = reminders.run()
    assert [(p.item.key, p.found) for p in again.posted] == [("S9-1|1", True)]
    assert sorted(landed(fake_slack, REMIND)) == ["S17-2|1", "S9-1|1"]


def test_a_share_slack_may_have_taken_but_cannot_be_checked_says_so(slack: Slack) -> None:
    slack.fake.lose_answer("chat.postMessage", 1, status=DROP)
    slack.fake.fail("conversations.history", 500, 3)

    _, response_url = slack.share("S17")

    [note] = wait_responses(slack.fake, response_url)
    assert note["replace_original"] is False
    assert "did not confirm the share" in note["text"] and "look there" in note["text"]
    assert len(slack.fake.messages(CHANNEL)) == 1  # it had landed: no second one
