"""/healthz means something, and a write the store refuses is told to the asker as "Not saved"."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.compose import compose
from bot.settings import from_env
from bot.slack.app import create_app, web_client
from bot.slack.health import Health, WatchedReminders
from bot.slack.outbox import SlackOutbox
from bot.slack.serve import EVENTS_PATH, wsgi_app
from jobs.clock import SimClock
from store.bootstrap import open_store
from store.history import history_path
from store.storage import StoreError
from tests.e2e.conftest import Server, env_for
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SECRET, Slack
from tests.e2e.test_reminders import EDITOR, REMIND, TZ, click, reminder_message, responses
from tests.e2e.test_updates import open_form, submit

FULL = "The store data/brs.history.jsonl cannot be written: No space left on device."


@dataclass
class Up:
    url: str
    slack: Slack
    store: Any
    health: Health
    reminders: WatchedReminders
    clock: SimClock
    db: Path


@pytest.fixture
def up(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Up]:
    """The app and its health, with reminder runs watched, on a clock at 08:59 on 30 August."""
    fake_slack.reset()
    clock = SimClock(datetime(2012, 8, 30, 8, 59, tzinfo=TZ))
    env = {**env_for(fake_slack, str(tmp_path / "brs.json")), "BRS_EDITORS": EDITOR}
    settings = from_env({**env, "BRS_REMINDER_CHANNEL": REMIND, "BRS_LEAD_DAYS": "1,0"})
    with open_store(settings.db_path, clock=clock) as store:
        app = create_app(settings, store=store, clock=clock, client=web_client(settings))
        health = Health(store, settings.db_path, clock=clock)
        outbox = SlackOutbox(web_client(settings))
        reminders = WatchedReminders(store, settings, outbox, clock, compose=compose)
        reminders.start()
        scheduler = SimpleNamespace(next_at=None)  # what the health reads of ReminderScheduler
        health.watch(reminders, scheduler)
        server = Server(wsgi_app(app, health))
        try:
            slack = Slack(server.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET)
            yield Up(server.url, slack, store, health, reminders, clock, settings.db_path)
        finally:
            server.stop()


def healthz(up: Up) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(up.url + "healthz", timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_healthy_says_the_store_is_writable_and_when_reminders_last_ran(up: Up) -> None:
    up.clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
    up.reminders.run()

    status, line = healthz(up)

    assert status == 200
    assert line == f"ok: store {up.db} writable; reminders last ran 2012-08-30T09:00:00+02:00\n"


def test_a_deleted_history_file_is_503(up: Up) -> None:
    os.unlink(history_path(up.db))

    # The store's own health() names it first (store.repository.Store.health).
    assert healthz(up) == (503, f"the history file {history_path(up.db)} was deleted\n")


def test_a_replaced_history_file_is_503(up: Up) -> None:
    path = history_path(up.db)
    copy = path.with_suffix(".copy")
    copy.write_bytes(path.read_bytes())
    os.replace(copy, path)

    status, line = healthz(up)
    assert status == 503 and f"the history file {path} was replaced" in line


def test_the_stores_own_health_reason_is_503(up: Up) -> None:
    up.store.health = lambda: "the store lock was lost"  # what Store.health() may answer

    assert healthz(up) == (503, "the store lock was lost\n")


def test_a_scheduler_that_did_not_run_when_due_is_503(up: Up) -> None:
    up.health.watch(up.reminders, SimpleNamespace(next_at=up.clock() - timedelta(minutes=5)))

    status, line = healthz(up)
    assert status == 503
    assert line.startswith("the scheduler has not run since start; a run was due at 2012-08-30")


def test_a_failed_reminder_run_is_503_until_one_succeeds(up: Up) -> None:
    up.slack.fake.refuse(REMIND, "channel_not_found")
    up.clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
    up.reminders.run()

    status, line = healthz(up)
    assert status == 503
    assert line == "the last reminder run could not post 2 reminders (S9-1|1, S17-2|1)\n"

    up.slack.fake.reset()
    up.clock.set(datetime(2012, 8, 30, 10, 0, tzinfo=TZ))
    up.reminders.run()
    assert healthz(up)[0] == 200


def refuse_writes(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def commit(*args: Any, **kw: Any) -> None:
        raise StoreError(FULL)

    monkeypatch.setattr(store, "commit", commit)


def test_a_command_the_store_cannot_save_says_not_saved(up: Up, monkeypatch) -> None:
    refuse_writes(up.store, monkeypatch)

    answer = up.slack.command("update S17 Responses from 40 parties", user=EDITOR)

    assert answer.status == 200
    assert answer.json() == {"response_type": "ephemeral", "text": f"Not saved: {FULL}"}
    assert "Responses from 40 parties" not in str(up.store.activity("S17").rows[0].status)


def test_a_form_the_store_cannot_save_says_not_saved(up: Up, monkeypatch) -> None:
    view = open_form(up.slack, "S17")
    refuse_writes(up.store, monkeypatch)

    answer = submit(up.slack, view, EDITOR, **{"r0_status": "A new line"})

    assert answer.status == 200
    reply = answer.json()
    assert reply["response_action"] == "update"
    assert f"Not saved: {FULL}" in reply["view"]["blocks"][0]["text"]["text"]


def test_a_button_the_store_cannot_save_says_not_saved(up: Up, monkeypatch) -> None:
    up.clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
    up.reminders.run()
    refuse_writes(up.store, monkeypatch)

    url = click(up.slack, reminder_message(up.slack.fake, "S17-2|1"), "reminder_done", EDITOR)

    [note] = responses(up.slack.fake, url)
    assert note["text"] == f"Not saved: {FULL}" and note["response_type"] == "ephemeral"
    assert up.store.deadline("S17-2").is_open


def test_a_dm_the_store_cannot_save_says_not_saved_in_the_dm(up: Up, monkeypatch) -> None:
    refuse_writes(up.store, monkeypatch)
    event = {
        "type": "message",
        "channel_type": "im",
        "user": EDITOR,
        "channel": "D0EDITOR",
        "text": "update S17 Not going in",
        "ts": "1700002000.000100",
    }

    assert up.slack.event(event).status == 200

    [post] = up.slack.fake.wait_for("chat.postMessage")
    assert post.body["channel"] == "D0EDITOR" and post.body["text"] == f"Not saved: {FULL}"
