"""Republishing App Home for recent viewers: on a worker thread, bounded, after every commit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.settings import Settings
from bot.slack.home import HomeRefresher, slack_home
from store.repository import Store
from tests.store.factories import activity, report

T0 = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class FakeClient:
    def __init__(self, refuse: str = "") -> None:
        self.published: list[tuple[str, dict]] = []
        self.threads: set[str] = set()
        self.refuse = refuse

    def views_publish(self, *, user_id: str, view: dict) -> None:
        self.threads.add(threading.current_thread().name)
        if user_id == self.refuse:
            raise OSError("unreachable")
        self.published.append((user_id, view))


def refresher(client: FakeClient, clock: Clock, renders: list | None = None, **kw: Any):
    def render(user: str, editor: bool, page: int) -> dict:
        if renders is not None:
            renders.append((editor, page))
        return {"type": "home", "blocks": [], "private_metadata": f"{editor}/{page}"}

    return HomeRefresher(client, render, lambda u: u.startswith("UE"), clock=clock, **kw)


def test_a_refresh_republishes_each_recent_viewer_on_their_page_off_the_callers_thread() -> None:
    client, renders = FakeClient(), []
    home = refresher(client, Clock(), renders)
    home.seen("UE1")
    home.seen("U2", page=2)
    home.seen("U3")

    home.refresh()
    assert home.wait_idle()

    got = {u: v["private_metadata"] for u, v in client.published}
    assert got == {"UE1": "True/0", "U2": "False/2", "U3": "False/0"}
    assert sorted(renders) == [(False, 0), (False, 2), (True, 0)]  # one render per variant
    assert client.threads == {"brs-home"}
    home.stop()


def test_viewers_are_few_and_recent() -> None:
    clock = Clock()
    home = refresher(FakeClient(), clock, max_viewers=3, forget_after=timedelta(days=30))
    for user in ("U1", "U2", "U3", "U4"):
        home.seen(user)
    assert [u for u, _ in home.viewers()] == ["U2", "U3", "U4"]

    clock.now = T0 + timedelta(days=20)
    home.seen("U3", page=1)
    clock.now = T0 + timedelta(days=31)
    assert home.viewers() == [("U3", 1)]
    assert home.seen("U3") == 1  # opening Home again keeps the page they were on


def test_one_viewer_slack_refuses_does_not_stop_the_others() -> None:
    client = FakeClient(refuse="U1")
    home = refresher(client, Clock())
    home.seen("U1")
    home.seen("U2")

    home.refresh()
    assert home.wait_idle()

    assert [u for u, _ in client.published] == ["U2"]
    home.stop()


def test_nothing_is_published_and_no_thread_started_without_viewers() -> None:
    client = FakeClient()
    home = refresher(client, Clock())

    home.refresh()

    assert home.wait_idle(0.1) and client.published == [] and client.threads == set()


def test_every_commit_to_the_store_refreshes_home(tmp_path) -> None:
    client, clock = FakeClient(), Clock()
    with Store.open(tmp_path / "brs.json", clock=clock) as store:
        store.import_report(report([activity("S1", 1), activity("S17", 17)], []))
        home = slack_home(client, store, Settings(editors=frozenset({"U0EDITOR"})), clock)
        home.seen("U0EDITOR")
        home.seen("U0READER")

        store.commit("U0EDITOR", [("activity:S17", "title", "Activity S17", "Review arrangements")])
        assert home.wait_idle()

    views = dict(client.published)
    assert set(views) == {"U0EDITOR", "U0READER"}
    assert "Review arrangements" in str(views["U0READER"]["blocks"])
    assert "Edit S17" in str(views["U0EDITOR"]["blocks"])
    assert "Edit S17" not in str(views["U0READER"]["blocks"])
    home.stop()
