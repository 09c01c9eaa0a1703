"""`brs serve` as a process: health, routing, configuration errors; Socket Mode wiring."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import from_env
from bot.slack.app import create_app, web_client
from bot.slack.serve import socket_mode_handler, wsgi_app
from tests.e2e.conftest import NOW, Running, Server, env_for
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SECRET, Slack


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_healthz_answers_200_when_the_store_is_readable(running: Running) -> None:
    status, body = _get(running.url + "healthz")
    assert status == 200
    assert body == f"ok: store {running.settings.db_path} writable; ".encode() + (
        b"no reminder scheduler in this process\n"
    )


def test_other_paths_are_404(running: Running) -> None:
    assert _get(running.url + "slack/events")[0] == 404  # GET: only POST goes to Bolt
    assert _get(running.url + "elsewhere")[0] == 404


def test_healthz_answers_503_when_the_store_cannot_be_read(fake_slack: FakeSlack) -> None:
    settings = from_env(env_for(fake_slack, "/nonexistent/brs.json"))
    app = create_app(settings, store=None, clock=lambda: NOW)
    server = Server(wsgi_app(app, lambda: False))
    try:
        assert _get(server.url + "healthz")[0] == 503
    finally:
        server.stop()


def test_the_client_retries_rate_limits_server_errors_and_connection_errors(
    running: Running, fake_slack: FakeSlack
) -> None:
    handlers = {type(h) for h in running.app.client.retry_handlers}

    assert handlers == {
        ConnectionErrorRetryHandler,
        RateLimitErrorRetryHandler,
        ServerErrorRetryHandler,
    }
    assert running.app.client.base_url == fake_slack.base_url


def test_socket_mode_builds_a_handler_without_connecting(fake_slack: FakeSlack) -> None:
    env = {**env_for(fake_slack, "unused.json"), "SLACK_APP_TOKEN": "xapp-1-A0BRS-1-abc"}
    del env["SLACK_SIGNING_SECRET"]  # not needed in Socket Mode
    settings = from_env(env)
    app = create_app(settings, store=None, clock=lambda: NOW, client=web_client(settings))

    handler = socket_mode_handler(app, settings)
    try:
        assert isinstance(handler, SocketModeHandler)
        assert handler.app_token == "xapp-1-A0BRS-1-abc"
        assert handler.client.web_client is app.client  # SLACK_API_URL and the retries
        assert not handler.client.is_connected()
        assert fake_slack.calls("apps.connections.open") == []
    finally:
        handler.close()


# The console script people run, where it is installed next to this Python.
_SCRIPT = Path(sys.executable).with_name("brs")
BRS = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-abc",
    "SLACK_SIGNING_SECRET": "0123456789abcdef0123456789abcdef",
}
CONFIG_ERRORS = [
    ({"SLACK_BOT_TOKEN": None}, "SLACK_BOT_TOKEN is not set"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN must be a bot token"),
    ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET is not set"),
    ({"SLACK_SIGNING_SECRET": "secret"}, "SLACK_SIGNING_SECRET must be"),
    ({"SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN must be an app-level token"),
    ({"PORT": "eighty"}, 'PORT="eighty" is not a TCP port'),
    ({"PORT": "70000"}, 'PORT="70000" is not a TCP port'),
    ({"BRS_TZ": "Europe/Atlantis"}, 'BRS_TZ="Europe/Atlantis" is not a time zone'),
    ({"BRS_REMIND_AT": "9am"}, "BRS_REMIND_AT"),
    ({"BRS_LEAD_DAYS": "a week"}, "BRS_LEAD_DAYS"),
    ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
]


def test_configuration_errors_stop_brs_serve_with_one_line(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRS_", "PORT"))}
    runs = []
    for change, _ in CONFIG_ERRORS:  # started together: each is a cold Python start
        env = {**base, **GOOD, "BRS_DB": str(tmp_path / "brs.json"), **change}
        env = {k: v for k, v in env.items() if v is not None}
        runs.append(
            subprocess.Popen(
                [*BRS, "serve"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=tmp_path,
            )
        )
    for (change, message), run in zip(CONFIG_ERRORS, runs, strict=True):
        out, err = run.communicate(timeout=30)
        assert run.returncode == 2, (change, err)
        assert err.count("\n") == 1 and err.startswith("brs: ") and message in err, (change, err)
        assert out == ""
    assert not (tmp_path / "brs.json").exists(), "a bad setting opens nothing"


def test_serve_is_a_brs_command() -> None:
    result = subprocess.run([*BRS, "serve", "--help"], capture_output=True, text=True, timeout=30)

    assert result.returncode == 0 and "usage: brs serve" in result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_brs_serve_runs_http_mode_and_stops_on_sigterm(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    port = _free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRS_", "PORT"))}
    env = {**base, **env_for(fake_slack, str(tmp_path / "brs.json")), "PORT": str(port)}
    serve = subprocess.Popen([*BRS, "serve"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            time.sleep(0.05)
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", fake_slack, SECRET)
        assert "Review arrangements" in slack.command("S17").json()["text"]

        second = subprocess.run(
            [*BRS, "serve"],
            env={**env, "PORT": str(_free_port())},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 2
        assert f"in use by process {serve.pid}" in second.stderr
    finally:
        serve.send_signal(signal.SIGTERM)
        _, err = serve.communicate(timeout=10)
    assert serve.returncode == 0, err
    assert "brs: stopped" in err and "Traceback" not in err
    assert "token` will be unused" not in err


def test_an_unreadable_store_stops_brs_serve_with_one_line(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRS_", "PORT"))}
    runs = []
    for name, content in [("utf8", b'\xff\xfe{"activities": {}}'), ("shape", b'{"activities": 5}')]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "brs.json").write_bytes(content)
        env = {**base, **GOOD, "BRS_DB": str(tmp_path / name / "brs.json"), "PORT": "9"}
        runs.append(
            subprocess.Popen(
                [*BRS, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        )
    for run, says in zip(runs, ["is not UTF-8 text", "cannot be read"], strict=True):
        out, err = run.communicate(timeout=30)
        assert run.returncode == 2, err
        assert err.startswith("brs: The store ") and says in err and err.count("\n") == 1, err
        assert "Traceback" not in err
