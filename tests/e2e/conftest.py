"""The real app under waitress on loopback, talking to a fake Slack Web API, with a temp BRS_DB."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from bot.settings import Settings, check_for_serve, from_env
from bot.slack.app import create_app, web_client
from bot.slack.health import Health
from bot.slack.serve import EVENTS_PATH, http_server, wsgi_app
from store.bootstrap import open_store
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SECRET, Slack

# The console's simulated day, so "days left" in replies never changes.
NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


@dataclass
class Running:
    url: str  # http://127.0.0.1:PORT/
    app: App
    settings: Settings
    store: Any


class Server:
    """A waitress server in a daemon thread; `stop()` closes its sockets and worker threads."""

    def __init__(self, wsgi: Any) -> None:
        self._map: dict = {}
        # A short loop timeout only so that stop() returns quickly.
        self.server = http_server(
            wsgi, host="127.0.0.1", port=0, map=self._map, asyncore_loop_timeout=0.05
        )
        self.url = f"http://127.0.0.1:{self.server.effective_port}/"
        self._thread = threading.Thread(target=self.server.run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        # Worker threads first. Then the loop is stopped by emptying its map (it wakes every
        # 0.05 s and ends when the map is empty), and the sockets are closed only once its
        # thread is gone, so none is closed under its select(). The trigger's pipe is left
        # open: a late worker may still pull it, and a closed one would be EBADF there.
        self.server.task_dispatcher.shutdown(timeout=5)
        channels = list(self._map.values())
        self._map.clear()
        self._thread.join(timeout=5)
        for channel in channels:
            if channel is not self.server.trigger:
                channel.close()


def env_for(fake: FakeSlack, db: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-0000-fake",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.base_url,
        "BRS_DB": db,
        "BRS_TZ": "Europe/Zurich",
    }


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@contextlib.contextmanager
def serving(fake_slack: FakeSlack, db: Path, **env: str) -> Iterator[Running]:
    """The app built the way `brs serve` builds it in HTTP mode, on a free loopback port."""
    settings = from_env({**env_for(fake_slack, str(db)), **env})
    check_for_serve(settings)
    clock = lambda: NOW  # noqa: E731 - the clock stands still
    with open_store(settings.db_path, clock=clock) as store:
        app = create_app(settings, store=store, clock=clock, client=web_client(settings))
        server = Server(wsgi_app(app, Health(store, settings.db_path, clock=lambda: NOW)))
        yield Running(server.url, app, settings, store)
        server.stop()


@pytest.fixture(scope="session")
def running(fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with serving(fake_slack, tmp_path_factory.mktemp("brs") / "brs.json") as app:
        yield app


@pytest.fixture
def slack(running: Running, fake_slack: FakeSlack) -> Slack:
    """Sends signed requests to the running app; the fake starts each test with no calls."""
    fake_slack.reset()
    return Slack(running.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET)
