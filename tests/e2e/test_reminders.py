"""Reminders over real HTTP against the fake Slack: the real scheduler on time, exactly once
through Slack errors and crashes, and the Done / Snooze / Details buttons."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from bot.compose import compose
from bot.settings import Settings, from_env
from bot.slack.app import create_app, web_client
from bot.slack.health import Health
from bot.slack.outbox import SlackOutbox
from bot.slack.serve import EVENTS_PATH, wsgi_app
from jobs.clock import SimClock
from jobs.reminders import Reminders
from jobs.runner import start_scheduler
from store.bootstrap import open_store
from tests.bot.slack_limits import problems
from tests.e2e.conftest import Server, env_for
from tests.e2e.fake_slack import TEAM, FakeSlack
from tests.e2e.slack_requests import SECRET, Slack

TZ = ZoneInfo("Europe/Zurich")
REMIND = "C0REMIND"
EDITOR = "U0EDITOR"
OTHER = "U0OTHER"


def real_clock() -> datetime:
    return datetime.now(UTC)


def settings_for(fake: FakeSlack, db: Path, **env: str) -> Settings:
    base = env_for(fake, str(db))
    # Every day a working day: some tests here run on the real clock, whatever day it is
    # (tests/jobs/test_workdays.py and tests/bot/console/test_workdays.py cover weekends).
    return from_env(
        {
            **base,
            "BRS_EDITORS": EDITOR,
            "BRS_REMINDER_CHANNEL": REMIND,
            "BRS_LEAD_DAYS": "0",
            "BRS_WORKDAYS": "mon-sun",
            **env,
        }
    )


@dataclass
class Served:
    slack: Slack
    settings: Settings
    store: Any
    fake: FakeSlack


@pytest.fixture
def served(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Served]:
    """`brs serve` as bot.slack.serve builds it, the scheduler included, with a reminder time of
    two seconds from now."""
    fake_slack.reset()
    due = datetime.now(TZ) + timedelta(seconds=2)
    settings = replace(settings_for(fake_slack, tmp_path / "brs.json"), remind_at=due.time())
    with open_store(settings.db_path, clock=real_clock) as store:
        app = create_app(settings, store=store, clock=real_clock, client=web_client(settings))
        server = Server(wsgi_app(app, Health(store, settings.db_path, clock=real_clock)))
        scheduler = start_scheduler(
            store, settings, SlackOutbox(app.client), real_clock, compose=compose
        )
        try:
            slack = Slack(server.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET)
            yield Served(slack, settings, store, fake_slack)
        finally:
            scheduler.shutdown()
            server.stop()


def test_a_deadline_a_few_seconds_ahead_is_posted_within_a_second(served: Served) -> None:
    # The bundled 2012 report in a new store today: nothing from its past is posted.
    time.sleep(0.2)
    assert served.fake.calls("chat.postMessage") == []

    due = datetime.combine(datetime.now(TZ).date(), served.settings.remind_at, tzinfo=TZ)
    if due < datetime.now(TZ) + timedelta(seconds=0.5):
        pytest.skip("too close to midnight or too slow to set up the deadline in time")
    answer = served.slack.command(f"deadline add S17 {due.date().isoformat()} Ship it", user=EDITOR)
    assert "Added `S17-7`" in answer.json()["text"]

    [post] = served.fake.wait_for("chat.postMessage", timeout=5)
    lateness = post.at - due.timestamp()
    assert 0 <= lateness < 1.0, lateness
    assert post.body["channel"] == REMIND
    assert post.body["metadata"]["event_payload"]["key"] == "S17-7|0"
    assert problems(post.body["blocks"], post.body["text"]) == []
    time.sleep(0.3)
    assert len(served.fake.calls("chat.postMessage")) == 1


# --- exactly once, on a simulated clock with the real Web API client -------------------


@pytest.fixture
def sim(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[tuple[Reminders, SimClock, Any]]:
    """Reminders posting through SlackOutbox to the fake, on a clock 08:59 the day before."""
    fake_slack.reset()
    clock = SimClock(datetime(2012, 8, 30, 8, 59, tzinfo=TZ))
    settings = settings_for(fake_slack, tmp_path / "brs.json", BRS_LEAD_DAYS="1,0")
    with open_store(settings.db_path, clock=clock) as store:
        reminders = Reminders(
            store, settings, SlackOutbox(web_client(settings)), clock, compose=compose
        )
        reminders.start()
        yield reminders, clock, store


def posted_keys(fake: FakeSlack) -> list[str]:
    return [
        c.body["metadata"]["event_payload"]["key"]
        for c in fake.calls("chat.postMessage")
        if c.status == 200
    ]


def test_a_slack_500_then_ok_posts_exactly_once(sim, fake_slack: FakeSlack) -> None:
    reminders, clock, store = sim
    fake_slack.fail("chat.postMessage", 500, 1)
    clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))  # S9-1 and S17-2 are due tomorrow

    run = reminders.run()

    assert sorted(p.item.key for p in run.posted) == ["S17-2|1", "S9-1|1"]
    assert sorted(posted_keys(fake_slack)) == ["S17-2|1", "S9-1|1"]
    assert [c.status for c in fake_slack.calls("chat.postMessage")] == [500, 200, 200]
    assert reminders.run().posted == ()


def test_slack_down_through_the_clients_retries_is_tried_again_later_once(
    sim, fake_slack: FakeSlack
) -> None:
    reminders, clock, store = sim
    fake_slack.fail("chat.postMessage", 503, 3)  # the client's 2 retries fail too
    clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
    run = reminders.run()
    assert [i.key for i in run.failed] == ["S9-1|1"] and posted_keys(fake_slack) == ["S17-2|1"]

    clock.set(run.next_at)
    run = reminders.run()
    # Before posting again it looks in the channel, in case a 503 had posted it after all.
    assert [c.method for c in fake_slack.calls()][-2:] == [
        "conversations.history",
        "chat.postMessage",
    ]
    assert [(p.item.key, p.found) for p in run.posted] == [("S9-1|1", False)]
    assert sorted(posted_keys(fake_slack)) == ["S17-2|1", "S9-1|1"]


def test_after_a_crash_between_slacks_ok_and_the_ledger_the_post_is_found_not_repeated(
    sim, fake_slack: FakeSlack
) -> None:
    reminders, clock, store = sim
    # What a kill -9 after Slack's ok leaves: "sending" in the ledger, the message in Slack.
    store.put_reminder_entries(
        {
            "S17-2|1": {
                "on": "2012-08-31",
                "state": "sending",
                "channel": REMIND,
                "since": "2012-08-30T09:00:00+02:00",
                "attempts": 1,
            }
        }
    )
    metadata = {
        "event_type": "brs_reminder",
        "event_payload": {"key": "S17-2|1", "on": "2012-08-31", "deadline": "S17-2"},
    }
    ts = fake_slack.add_message(REMIND, {"text": "S17-2 due", "metadata": metadata})
    clock.set(datetime(2012, 8, 30, 9, 0, 3, tzinfo=TZ))

    run = reminders.run()

    assert {p.item.key: p.found for p in run.posted} == {"S17-2|1": True, "S9-1|1": False}
    assert posted_keys(fake_slack) == ["S9-1|1"]
    assert store.reminder_entries()["S17-2|1"] == {
        **store.reminder_entries()["S17-2|1"],
        "state": "sent",
        "ts": ts,
    }
    [history] = fake_slack.calls("conversations.history")
    assert history.body["channel"] == REMIND and history.body["include_all_metadata"] in (
        "1",
        "true",
        "True",
    )


# --- the buttons -------------------------------------------------------------------------


@pytest.fixture
def app_url(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[tuple[Slack, Any, Reminders, Any]]:
    """The app with a reminder of S17-2 posted to the fake; the simulated day is 30 August."""
    fake_slack.reset()
    clock = SimClock(datetime(2012, 8, 30, 8, 59, tzinfo=TZ))
    settings = settings_for(fake_slack, tmp_path / "brs.json", BRS_LEAD_DAYS="1,0")
    with open_store(settings.db_path, clock=clock) as store:
        app = create_app(settings, store=store, clock=clock, client=web_client(settings))
        server = Server(wsgi_app(app, Health(store, settings.db_path, clock=real_clock)))
        reminders = Reminders(store, settings, SlackOutbox(app.client), clock, compose=compose)
        reminders.start()
        clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
        reminders.run()
        try:
            yield (
                Slack(server.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET),
                store,
                reminders,
                clock,
            )
        finally:
            server.stop()


def reminder_message(fake: FakeSlack, key: str) -> dict:
    return next(
        m
        for m in fake.messages(REMIND)
        if (m.get("metadata") or {}).get("event_payload", {}).get("key") == key
    )


def click(
    slack: Slack,
    message: dict,
    action_id: str,
    user: str,
    channel: tuple[str, str] = (REMIND, "reminders"),
) -> str:
    """Press a button on a message in `channel` (id, name) the way Slack sends it; returns the
    response_url."""
    button = next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )
    response_url = slack.fake.response_url(f"button-{time.monotonic_ns()}")
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "team_id": TEAM},
        "api_app_id": "A0BRS",
        "token": "legacy-unused",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel[0],
            "is_ephemeral": False,
        },
        "trigger_id": "1.trigger",
        "team": {"id": TEAM, "domain": "fake"},
        "channel": {"id": channel[0], "name": channel[1]},
        "message": {k: message[k] for k in ("type", "ts", "text", "blocks")},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "reminder_actions",
                "text": button["text"],
                "value": button["value"],
                "action_ts": "1700000001.000001",
            }
        ],
    }
    answer = slack.post(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )
    assert answer.status == 200
    return response_url


def responses(fake: FakeSlack, url: str, timeout: float = 5.0) -> list[dict]:
    """What the app sent to `url` (a response_url), waiting for the first."""
    end = time.monotonic() + timeout
    while True:
        found = [c.body for c in fake.calls("response") if url.endswith(c.path)]
        if found or time.monotonic() > end:
            return found
        time.sleep(0.005)


def test_done_by_an_editor_marks_it_and_updates_the_message_in_place(app_url, fake_slack) -> None:
    slack, store, reminders, clock = app_url
    message = reminder_message(fake_slack, "S17-2|1")

    click(slack, message, "reminder_done", EDITOR)

    [update] = fake_slack.wait_for("chat.update")
    assert update.body["ts"] == message["ts"] and update.body["channel"] == REMIND
    dl = store.deadline("S17-2")
    assert (dl.done, dl.done_by, dl.done_at) == (True, EDITOR, "2012-08-30T07:00:00Z")
    assert store.history("deadline:S17-2")[-1].user == EDITOR
    now = reminder_message(fake_slack, "S17-2|1")
    assert not [b for b in now["blocks"] if b["type"] == "actions"]
    assert f"Done — marked by <@{EDITOR}>" in json.dumps(now["blocks"], ensure_ascii=False)
    clock.set(datetime(2012, 9, 2, 9, 0, tzinfo=TZ))
    assert "S17-2|0" not in [p.item.key for p in reminders.run().posted]


def test_done_and_snooze_by_others_are_refused_and_change_nothing(app_url, fake_slack) -> None:
    slack, store, reminders, clock = app_url
    message = reminder_message(fake_slack, "S17-2|1")
    for action in ("reminder_done", "reminder_snooze_day", "reminder_snooze_week"):
        url = click(slack, message, action, OTHER)
        [reply] = responses(fake_slack, url)
        assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
        assert f"Only the editors can change brs: <@{EDITOR}>" in reply["text"]
    assert store.deadline("S17-2").is_open
    assert "S17-2" not in store.snoozes() and store.history("snooze:S17-2") == []
    assert fake_slack.calls("chat.update") == []


def test_snooze_a_day_skips_tomorrows_reminder_and_keeps_the_buttons(app_url, fake_slack) -> None:
    slack, store, reminders, clock = app_url
    message = reminder_message(fake_slack, "S17-2|1")

    click(slack, message, "reminder_snooze_day", EDITOR)

    [update] = fake_slack.wait_for("chat.update")
    assert "Snoozed by" in json.dumps(
        update.body["blocks"]
    ) and "Friday 31 August 2012" in json.dumps(update.body["blocks"], ensure_ascii=False)
    assert [b for b in update.body["blocks"] if b["type"] == "actions"]
    assert store.snoozes()["S17-2"] == date(2012, 8, 31)
    assert [c.user for c in store.history("snooze:S17-2")] == [EDITOR]  # kept in the history
    clock.set(datetime(2012, 8, 31, 9, 0, tzinfo=TZ))
    assert "S17-2|0" in [p.item.key for p in reminders.run().posted]  # from the 31st on


def test_snooze_a_week_skips_the_reminders_within_it(app_url, fake_slack) -> None:
    slack, store, reminders, clock = app_url
    click(slack, reminder_message(fake_slack, "S17-2|1"), "reminder_snooze_week", EDITOR)
    fake_slack.wait_for("chat.update")
    clock.set(datetime(2012, 9, 2, 9, 0, tzinfo=TZ))
    run = reminders.run()
    assert not [p for p in run.posted if p.item.key.startswith("S17-2|")]


def test_details_shows_the_activity_card_to_the_presser_only(app_url, fake_slack) -> None:
    slack, store, reminders, clock = app_url
    url = click(slack, reminder_message(fake_slack, "S17-2|1"), "reminder_details", OTHER)
    [reply] = responses(fake_slack, url)
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert "Review arrangements" in reply["text"]
    assert "Collect responses from parties" in json.dumps(reply["blocks"], ensure_ascii=False)
