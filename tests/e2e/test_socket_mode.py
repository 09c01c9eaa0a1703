"""Socket Mode end to end: slack-bolt's own client against a fake Socket Mode server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.settings import from_env
from bot.slack.app import create_app, web_client
from bot.slack.serve import socket_mode_handler
from store.bootstrap import open_store
from tests.e2e.conftest import NOW, env_for
from tests.e2e.fake_slack import BOT_USER, TEAM, FakeSlack
from tests.e2e.fake_socket_mode import FakeSocketMode
from tests.e2e.slack_requests import CHANNEL, USER


@dataclass
class Socket:
    server: FakeSocketMode
    fake: FakeSlack
    store: Any


@pytest.fixture
def socket_mode(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Socket]:
    fake_slack.reset()
    server = FakeSocketMode()
    fake_slack.socket_url = server.url
    env = {
        **env_for(fake_slack, str(tmp_path / "brs.json")),
        "SLACK_APP_TOKEN": "xapp-1-A0-1-x",
        "BRS_EDITORS": USER,
    }
    del env["SLACK_SIGNING_SECRET"]
    settings = from_env(env)
    with open_store(settings.db_path, clock=lambda: NOW) as store:
        app = create_app(settings, store=store, clock=lambda: NOW, client=web_client(settings))
        handler = socket_mode_handler(app, settings, ping_interval=0.5)  # notices a drop soon
        try:
            handler.connect()  # apps.connections.open, then the WebSocket; start() would block
            server.wait_connected(1)
            yield Socket(server, fake_slack, store)
        finally:
            handler.client.auto_reconnect_enabled = False
            server.stop()  # first: the client's reader then returns at once instead of in 3 s
            handler.close()
            fake_slack.socket_url = None


def command(envelope_id: str, text: str) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "token": "legacy-unused",
            "team_id": TEAM,
            "channel_id": CHANNEL,
            "user_id": USER,
            "user_name": "asker",
            "command": "/brs",
            "text": text,
            "api_app_id": "A0BRS",
            "response_url": "http://127.0.0.1:9/response/sm",
            "trigger_id": "1.trigger",
        },
    }


def mention(envelope_id: str, event_id: str, retry: int = 0) -> dict:
    ts = "1700001000.000100"
    event = {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER}> S8",
        "ts": ts,
        "channel": CHANNEL,
        "event_ts": ts,
    }
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
        "payload": {
            "type": "event_callback",
            "event_id": event_id,
            "event": event,
            "team_id": TEAM,
            "api_app_id": "A0BRS",
            "event_time": 1700001000,
        },
    }


def test_a_slash_command_is_answered_over_the_socket(socket_mode: Socket) -> None:
    socket_mode.server.send(command("env-1", "S17"))

    answer = socket_mode.server.wait_answer("env-1")
    assert answer["payload"]["response_type"] == "ephemeral"
    assert "Review arrangements" in answer["payload"]["text"]
    assert len(socket_mode.fake.calls("apps.connections.open")) == 1


def test_a_dropped_connection_is_followed_by_a_reconnect(socket_mode: Socket) -> None:
    socket_mode.server.drop()

    socket_mode.server.wait_connected(2, timeout=15)
    assert len(socket_mode.fake.calls("apps.connections.open")) >= 2  # a fresh URL each time
    socket_mode.server.send(command("env-2", "funding"))
    assert "Funding" in socket_mode.server.wait_answer("env-2")["payload"]["text"]


def test_a_redelivered_envelope_is_handled_once(socket_mode: Socket) -> None:
    server = socket_mode.server
    server.send(mention("env-3", "EvSOCKET1"))
    server.wait_answer("env-3")
    server.send(mention("env-3", "EvSOCKET1", retry=1))  # the same envelope again
    server.send(mention("env-4", "EvSOCKET1", retry=2))  # Slack's retry: new envelope, same event
    server.wait_answer("env-4")
    socket_mode.fake.wait_for("chat.postMessage")
    time.sleep(0.3)  # would a second reply come?

    assert len(socket_mode.fake.messages(CHANNEL)) == 1
    assert len(server.answers("env-3")) == 2  # acknowledged both times, run once


def test_a_redelivered_command_envelope_is_applied_once(socket_mode: Socket) -> None:
    server = socket_mode.server
    server.send(command("env-5", "update S17 Said once over the socket"))
    first = server.wait_answer("env-5")
    server.send(command("env-5", "update S17 Said once over the socket"))  # delivered again
    end = time.monotonic() + 5
    while len(server.answers("env-5")) < 2 and time.monotonic() < end:
        time.sleep(0.01)

    assert "Added to" in first["payload"]["text"]
    assert [a["payload"] for a in server.answers("env-5")] == [first["payload"]] * 2
    status = socket_mode.store.activity("S17").rows[0].status
    assert sum("Said once over the socket" in line for line in status) == 1
