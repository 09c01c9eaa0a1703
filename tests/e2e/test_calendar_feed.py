"""The subscribed calendar over real HTTP: `/brs calendar` gives editors the secret URL, the
feed follows `/brs event` and `/brs deadline done`, and a wrong token gets 404."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta

import pytest
from icalendar import Calendar

from bot.exports.feed import ensure_ids
from bot.render.text import blocks_to_text
from bot.settings import check_for_serve, from_env
from bot.slack.app import create_app, web_client
from bot.slack.health import Health
from bot.slack.serve import EVENTS_PATH, calendar_routes, wsgi_app
from jobs.clock import SimClock
from store.bootstrap import open_store
from tests.e2e.conftest import NOW, Running, Server, env_for
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SECRET, Slack

EDITOR = "U0EDITOR"
STRANGER = "U0STRANGER"
PUBLIC = "https://brs.example.org"


@pytest.fixture(scope="module")
def clock() -> SimClock:
    return SimClock(NOW)


@pytest.fixture(scope="module")
def feed(
    fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory, clock: SimClock
) -> Iterator[Running]:
    """The HTTP app wired the way `brs serve` wires it: ids made at start, the feed routed."""
    db = tmp_path_factory.mktemp("brs-calendar") / "brs.json"
    env = {**env_for(fake_slack, str(db)), "BRS_EDITORS": EDITOR, "BRS_PUBLIC_URL": PUBLIC}
    settings = from_env(env)
    check_for_serve(settings)
    with open_store(settings.db_path, clock=clock) as store:
        ensure_ids(store, settings)
        app = create_app(settings, store=store, clock=clock, client=web_client(settings))
        routes = calendar_routes(store, settings, clock)
        server = Server(wsgi_app(app, Health(store, settings.db_path, clock=clock), routes))
        yield Running(server.url, app, settings, store)
        server.stop()


@pytest.fixture
def slack(feed: Running, fake_slack: FakeSlack) -> Slack:
    fake_slack.reset()
    return Slack(feed.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET)


def get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


def said(slack: Slack, text: str, user: str = EDITOR) -> str:
    answer = slack.command(text, user=user)
    assert answer.status == 200
    return blocks_to_text(answer.json()["blocks"])


def calendar_path(slack: Slack) -> str:
    """What `/brs calendar` tells an editor, as a path on the test server."""
    m = re.search(
        re.escape(PUBLIC) + r"(/calendar/[A-Za-z0-9_-]{16,}\.ics)", said(slack, "calendar")
    )
    assert m, "the editor is shown the calendar's URL"
    return m.group(1)


def fetch(feed: Running, path: str) -> dict[str, object]:
    status, headers, body = get(feed.url.rstrip("/") + path)
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(body).walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    return {uid.partition("@")[0]: e for uid, e in zip(uids, events, strict=True)}


def test_only_editors_are_shown_the_address(slack: Slack) -> None:
    told = said(slack, "calendar", user=STRANGER)
    assert "ask one of them" in told and "/calendar/" not in told
    assert calendar_path(slack).endswith(".ics")


def test_the_feed_follows_event_moves_and_done_deadlines(
    slack: Slack, feed: Running, clock: SimClock
) -> None:
    path = calendar_path(slack)
    first = fetch(feed, path)
    installation = feed.store.setting("installation_id")
    assert len(first) == 10 and installation
    assert all(str(e["UID"]).endswith(f"@{installation}.brs") for e in first.values())
    assert "Review arrangements" in str(first["S17-4"]["SUMMARY"])

    clock.advance(timedelta(hours=2))
    assert "COP-2013 is on" in said(slack, "event COP-2013 2013-05-10")
    moved = fetch(feed, path)
    assert moved["S17-4"]["SEQUENCE"] == first["S17-4"]["SEQUENCE"] + 1
    assert moved["S17-4"]["LAST-MODIFIED"].dt == clock()
    assert moved["S17-4"]["DTSTART"].dt.isoformat() == "2013-02-09"
    assert moved["S17-2"]["SEQUENCE"] == first["S17-2"]["SEQUENCE"]

    clock.advance(timedelta(hours=1))
    assert "is done" in said(slack, "deadline done S17-2")
    after = fetch(feed, path)
    assert str(after["S17-2"]["STATUS"]) == "CANCELLED"
    assert after["S17-2"]["SEQUENCE"] == first["S17-2"]["SEQUENCE"] + 1
    assert set(after) == set(first)  # cancelled, not gone: calendars take it out themselves


def test_a_wrong_token_or_method_gets_404(slack: Slack, feed: Running) -> None:
    path = calendar_path(slack)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    base = feed.url.rstrip("/")
    assert get(base + path, "HEAD")[0] == 200
    for wrong in (
        f"/calendar/{token[:-1]}x.ics",
        f"/calendar/{token}",
        "/calendar/.ics",
        f"/calendar/{token}.ics/x",
        "/calendar/",
    ):
        status, _, body = get(base + wrong)
        assert status == 404 and b"BEGIN:VCALENDAR" not in body, wrong
    assert get(base + path, "POST")[0] == 404
