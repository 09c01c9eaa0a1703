"""The feed behind GET /calendar/<token>.ics: which token opens it, and the ids made once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from icalendar import Calendar

from bot.exports.feed import (
    TOKEN_SETTING,
    calendar_feed,
    calendar_token,
    calendar_url,
    ensure_ids,
    installation_id,
)
from bot.settings import Settings
from store.repository import Store
from tests.store.bundled import NOW, bundled_store


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    with bundled_store(tmp_path) as s:
        yield s


def test_the_ids_are_made_once_and_kept(store: Store) -> None:
    assert installation_id(store) is None and calendar_token(store, Settings()) is None
    made = ensure_ids(store, Settings())
    assert ensure_ids(store, Settings()) == made
    assert [c.new for c in store.history(f"setting:{TOKEN_SETTING}")] == [made[1]]
    assert len(made[1]) >= 32 and made[0] != made[1]


def test_the_stored_token_opens_the_feed_and_nothing_else_does(store: Store) -> None:
    _, token = ensure_ids(store, Settings())
    feed = calendar_feed(store, Settings(), lambda: NOW)

    ics = feed(f"/calendar/{token}.ics")
    assert ics is not None and len(Calendar.from_ical(ics).walk("VEVENT")) == 10
    assert feed(f"/calendar/{token.upper()}.ics") is None
    assert feed(f"/calendar/{token}.ics.ics") is None
    assert feed("/calendar/.ics") is None


def test_brs_calendar_token_wins_over_the_stored_one(store: Store) -> None:
    _, stored = ensure_ids(store, Settings())
    chosen = Settings(calendar_token="chosen-token-0123456789")
    feed = calendar_feed(store, chosen, lambda: NOW)

    assert feed("/calendar/chosen-token-0123456789.ics") is not None
    assert feed(f"/calendar/{stored}.ics") is None
    assert ensure_ids(store, chosen)[1] == "chosen-token-0123456789"


def test_before_the_ids_exist_no_token_opens_it(store: Store) -> None:
    assert calendar_feed(store, Settings(), lambda: NOW)("/calendar/None.ics") is None


def test_the_url_needs_the_public_address() -> None:
    assert calendar_url(Settings(), "t") is None
    public = Settings(public_url="https://brs.example.org")
    assert calendar_url(public, "tok") == "https://brs.example.org/calendar/tok.ics"


def test_a_process_that_loses_the_race_for_the_ids_uses_the_winner_s():
    # Two brs serve processes on one database start together: one commit wins.
    from bot.exports.feed import ensure_installation
    from store.storage import ChangedMeanwhile

    class Raced:
        def __init__(self):
            self.value = None

        def setting(self, name, default=None):
            return self.value

        def set_setting(self, name, value, user):
            self.value = "made-by-the-other"
            raise ChangedMeanwhile("changed meanwhile")

    assert ensure_installation(Raced()) == "made-by-the-other"
