"""Slack's retries and replays are handled once: events by event_id (across a restart), and
a signed slash command that writes, replayed with the same timestamp and signature."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from bot.settings import from_env
from bot.slack.app import create_app, web_client
from bot.slack.health import Health
from bot.slack.listeners.commands import REPLAYED
from bot.slack.serve import EVENTS_PATH, wsgi_app
from store.bootstrap import open_store
from store.dedupe import SeenWindow, seen_path
from tests.e2e.conftest import NOW, Server, env_for
from tests.e2e.fake_slack import BOT_USER, TEAM, FakeSlack
from tests.e2e.slack_requests import CHANNEL, SECRET, USER, Slack

EDITOR = "U0EDITOR"


@contextlib.contextmanager
def brs(fake: FakeSlack, db: Path) -> Iterator[Slack]:
    """The app as `brs serve` builds it, with its seen window beside the store."""
    settings = from_env({**env_for(fake, str(db)), "BRS_EDITORS": EDITOR})
    clock = lambda: NOW  # noqa: E731
    with open_store(settings.db_path, clock=clock) as store:
        seen = SeenWindow(seen_path(db), clock=time_now)
        app = create_app(settings, store=store, clock=clock, client=web_client(settings), seen=seen)
        server = Server(wsgi_app(app, Health(store, db, clock=clock)))
        try:
            yield Slack(server.url.rstrip("/") + EVENTS_PATH, fake, SECRET)
        finally:
            server.stop()
            seen.close()


def time_now():  # the window's clock: real time, as Slack's retries are
    from datetime import UTC, datetime

    return datetime.now(UTC)


def mention(ts: str) -> dict:
    return {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER}> S8",
        "ts": ts,
        "channel": CHANNEL,
        "event_ts": ts,
    }


def dm_update(text: str, ts: str) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "user": EDITOR,
        "text": f"update S17 {text}",
        "ts": ts,
        "channel": "D0EDITOR",
        "event_ts": ts,
    }


def lines_with(db: Path, fake: FakeSlack, text: str) -> int:
    with brs(fake, db) as slack:
        card = slack.command("S17").json()["blocks"]
    return str(card).count(text)


def test_a_retried_mention_is_answered_once(fake_slack: FakeSlack, tmp_path: Path) -> None:
    fake_slack.reset()
    with brs(fake_slack, tmp_path / "brs.json") as slack:
        event = mention("1700000700.000100")
        assert slack.event(event, event_id="EvMENTION1").status == 200
        for retry in (1, 2, 3):
            assert slack.event(event, event_id="EvMENTION1", retry=retry).status == 200
        fake_slack.wait_for("chat.postMessage")
        time.sleep(0.3)  # would a second reply come?
    assert len(fake_slack.messages(CHANNEL)) == 1


def test_a_dm_update_retried_across_a_restart_is_applied_once(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_slack.reset()
    db = tmp_path / "brs.json"
    event = dm_update("Forty parties answered", "1700000800.000100")
    with brs(fake_slack, db) as slack:
        assert slack.event(event, event_id="EvDM1").status == 200
        assert slack.event(event, event_id="EvDM1", retry=1).status == 200
        fake_slack.wait_for("chat.postMessage")
    with brs(fake_slack, db) as slack:  # a restart in between: the window is on disk
        assert slack.event(event, event_id="EvDM1", retry=2).status == 200
        time.sleep(0.3)

    assert lines_with(db, fake_slack, "Forty parties answered") == 1
    assert len(fake_slack.messages("D0EDITOR")) == 1  # one reply too
    assert "EvDM1" in seen_path(db).read_text()


def test_a_different_event_is_still_handled(fake_slack: FakeSlack, tmp_path: Path) -> None:
    fake_slack.reset()
    with brs(fake_slack, tmp_path / "brs.json") as slack:
        slack.event(mention("1700000900.000100"), event_id="EvA")
        slack.event(mention("1700000900.000200"), event_id="EvB")
        fake_slack.wait_for("chat.postMessage", count=2)
    assert len(fake_slack.messages(CHANNEL)) == 2


def _command_body(text: str, user: str) -> str:
    return urlencode(
        {
            "token": "legacy-unused",
            "team_id": TEAM,
            "channel_id": CHANNEL,
            "user_id": user,
            "user_name": "asker",
            "command": "/brs",
            "text": text,
            "api_app_id": "A0BRS",
            "response_url": "http://127.0.0.1:9/response/replayed",
            "trigger_id": "1.trigger",
        }
    )


def test_a_replayed_write_command_is_a_no_op(fake_slack: FakeSlack, tmp_path: Path) -> None:
    fake_slack.reset()
    db = tmp_path / "brs.json"
    body = _command_body("update S17 Replay me", EDITOR)
    ts = str(int(time.time()))
    form = "application/x-www-form-urlencoded"
    with brs(fake_slack, db) as slack:
        first = slack.post(body, form, timestamp=ts)
        again = slack.post(body, form, timestamp=ts)  # the same bytes, timestamp and signature
    with brs(fake_slack, db) as slack:  # and after a restart, still within Slack's 5 minutes
        after_restart = slack.post(body, form, timestamp=ts)
        fresh = slack.post(body, form, timestamp=str(int(ts) + 1))  # a new request: applied

    assert "Added to" in first.body.decode()
    assert again.json() == after_restart.json() == {"response_type": "ephemeral", "text": REPLAYED}
    assert "Added to" in fresh.body.decode()
    assert lines_with(db, fake_slack, "Replay me") == 2


def test_a_repeated_read_command_is_answered_each_time(fake_slack, tmp_path: Path) -> None:
    fake_slack.reset()
    body, ts = _command_body("S17", USER), str(int(time.time()))
    with brs(fake_slack, tmp_path / "brs.json") as slack:
        answers = [
            slack.post(body, "application/x-www-form-urlencoded", timestamp=ts) for _ in range(2)
        ]
    assert all("Review arrangements" in a.json()["text"] for a in answers)
    assert (
        not seen_path(tmp_path / "brs.json").exists()
        or "cmd:" not in seen_path(tmp_path / "brs.json").read_text()
    )
