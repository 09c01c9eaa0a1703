"""Two `brs serve` processes on one PostgreSQL database, answering one workspace (the fake
Slack): an update through one is read through the other, a reminder is posted once, and after
kill -9 of the scheduler's process the other posts it; DATABASE_URL errors stop serve at once."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from bot.render.text import blocks_to_text
from store.postgres.repository import PgStore
from tests.e2e.conftest import env_for
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SECRET, Slack
from tests.e2e.test_serve import BRS, _free_port, _get
from tests.store.backends.server import pg_server_fixture, pg_url_fixture  # noqa: F401

TZ = ZoneInfo("Europe/Zurich")
EDITOR = "U0EDITOR"
REMIND = "C0REMIND"


class Serve:
    """One `brs serve` process; PGAPPNAME tells the database which one a session belongs to."""

    def __init__(self, name: str, env: dict[str, str], fake: FakeSlack) -> None:
        self.name = name
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [*BRS, "serve"],
            env={**env, "PORT": str(self.port), "PGAPPNAME": name},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.slack = Slack(f"http://127.0.0.1:{self.port}/slack/events", fake, SECRET)

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.proc.communicate()[1]
            with contextlib.suppress(OSError):
                if _get(f"http://127.0.0.1:{self.port}/healthz")[0] == 200:
                    return
            time.sleep(0.1)
        raise AssertionError(f"{self.name} never became healthy")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.communicate(timeout=30)[1]


def _base_env() -> dict[str, str]:
    skip = ("SLACK_", "BRS_", "PORT", "DATABASE_URL", "PGAPPNAME")
    return {k: v for k, v in os.environ.items() if not k.startswith(skip)}


@contextlib.contextmanager
def two_serves(fake: FakeSlack, url: str, tmp: Path, remind_at: datetime) -> Iterator[list[Serve]]:
    env = {
        **_base_env(),
        **env_for(fake, str(tmp / "unused.json")),
        "DATABASE_URL": url,
        "BRS_EDITORS": EDITOR,
        "BRS_REMINDER_CHANNEL": REMIND,
        "BRS_LEAD_DAYS": "0",
        "BRS_REMIND_AT": remind_at.strftime("%H:%M:%S"),
    }
    serves = [Serve("brs-a", env, fake), Serve("brs-b", env, fake)]
    try:
        for s in serves:
            s.wait_healthy()
        yield serves
    finally:
        for s in serves:
            s.stop()
    assert not (tmp / "unused.json").exists(), "DATABASE_URL set: no TinyDB file"


def _remind_at(seconds: int) -> datetime:
    at = datetime.now(TZ).replace(microsecond=0) + timedelta(seconds=seconds)
    if at.date() != datetime.now(TZ).date():
        pytest.skip("too close to midnight for a reminder today")
    return at


def _in_time(due: datetime) -> None:
    if datetime.now(TZ) > due - timedelta(seconds=3):
        pytest.skip("the processes took too long to start for the reminder time chosen")


def _leader(url: str) -> str | None:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted"
        ).fetchone()
    return row[0] if row else None


def _wait_leader(url: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if name := _leader(url):
            return name
        time.sleep(0.1)
    raise AssertionError("no process took the scheduler lock")


def _posts(fake: FakeSlack, key: str) -> list:
    return [
        c
        for c in fake.calls("chat.postMessage")
        if c.status == 200 and c.body.get("metadata", {}).get("event_payload", {}).get("key") == key
    ]


def _wait_posts(fake: FakeSlack, key: str, timeout: float) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not _posts(fake, key):
        time.sleep(0.05)
    return _posts(fake, key)


def test_two_processes_answer_one_workspace_and_post_a_reminder_once(
    fake_slack: FakeSlack, pg_url: str, tmp_path: Path
) -> None:
    fake_slack.reset()
    due = _remind_at(20)
    with two_serves(fake_slack, pg_url, tmp_path, due) as (a, b):
        b.slack.command("S17")  # B has the card cached now
        answer = a.slack.command("update S17 Agreed through process A.", user=EDITOR)
        assert "Agreed through process A." in blocks_to_text(answer.json()["blocks"])
        card = blocks_to_text(b.slack.command("S17").json()["blocks"])
        assert "Agreed through process A." in card  # B's cache followed the database

        leader_name = _wait_leader(pg_url)
        follower = b if leader_name == "brs-a" else a
        _in_time(due)
        # Through the process without the scheduler: the change must reach the one with it.
        added = follower.slack.command(
            f"deadline add S17 {due.date().isoformat()} Ship it", user=EDITOR
        )
        assert "Added `S17-7`" in added.json()["text"]

        [post] = _wait_posts(fake_slack, "S17-7|0", timeout=60)
        assert post.body["channel"] == REMIND
        time.sleep(2)  # the other process has had time to post it too, had it run a scheduler
        assert len(_posts(fake_slack, "S17-7|0")) == 1
        assert _leader(pg_url) == leader_name
    assert a.proc.returncode == 0 and b.proc.returncode == 0


def test_after_kill_9_of_the_scheduler_the_other_process_posts_and_nothing_is_lost(
    fake_slack: FakeSlack, pg_url: str, tmp_path: Path
) -> None:
    fake_slack.reset()
    due = _remind_at(20)
    with two_serves(fake_slack, pg_url, tmp_path, due) as serves:
        leader_name = _wait_leader(pg_url)
        leader = next(s for s in serves if s.name == leader_name)
        other = next(s for s in serves if s.name != leader_name)
        _in_time(due)
        added = other.slack.command(
            f"deadline add S17 {due.date().isoformat()} Ship it", user=EDITOR
        )
        assert "Added `S17-7`" in added.json()["text"]

        leader.proc.send_signal(signal.SIGKILL)
        leader.proc.wait(timeout=10)
        assert _wait_leader(pg_url, timeout=60) == other.name  # taken over within the minute

        [post] = _wait_posts(fake_slack, "S17-7|0", timeout=90)
        assert post.body["channel"] == REMIND
        time.sleep(1)
        assert len(_posts(fake_slack, "S17-7|0")) == 1

        other.proc.send_signal(signal.SIGKILL)  # both killed: what was acknowledged is kept
        other.proc.wait(timeout=10)
    with PgStore.open(pg_url, listen=False) as store:
        assert store.deadline("S17-7").due == "Ship it"
        assert store.reminder_entries()["S17-7|0"]["state"] == "sent"


DATABASE_ERRORS = [
    ("mysql://brs:{pw}@127.0.0.1/brs", "DATABASE_URL is not a PostgreSQL URL"),
    ("postgresql://brs:{pw}@127.0.0.1:{closed}/brs", "Connection refused"),
    ("wrong-password", "password authentication failed"),
]


def test_database_url_errors_stop_brs_serve_with_one_line_without_the_password(
    fake_slack: FakeSlack, pg_url: str, tmp_path: Path
) -> None:
    from store.postgres.connect import parts

    real = parts(pg_url).get("password")
    secret = "hunter2-secret"
    runs = []
    for pattern, _ in DATABASE_ERRORS:
        if pattern == "wrong-password":
            if not real:
                continue  # a test server without passwords: nothing to get wrong
            url = pg_url.replace(f":{real}@", f":{secret}@")
        else:
            url = pattern.format(pw=secret, closed=_free_port())
        env = {**_base_env(), **env_for(fake_slack, str(tmp_path / "b.json")), "DATABASE_URL": url}
        runs.append(
            subprocess.Popen(
                [*BRS, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        )
    for (_, message), run in zip(DATABASE_ERRORS, runs, strict=False):
        out, err = run.communicate(timeout=60)
        assert run.returncode == 2, err
        assert err.count("\n") == 1 and err.startswith("brs: DATABASE_URL"), err
        assert message in err and secret not in err and (not real or real not in err), err
        assert out == ""
    assert not (tmp_path / "b.json").exists()
