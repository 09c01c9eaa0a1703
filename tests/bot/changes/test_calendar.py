"""`/brs calendar`: the secret URL for editors, whom to ask for anyone else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.answer import Answers
from bot.changes.editors import Asker
from bot.exports.feed import TOKEN_SETTING
from bot.render.text import blocks_to_text
from bot.settings import Settings
from store.repository import Store
from tests.store.bundled import bundled_store

NOW = datetime(2012, 8, 20, 7, tzinfo=UTC)
EDITORS = frozenset({"U0EDITOR", "U0OTHER"})


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    with bundled_store(tmp_path) as s:
        yield s


def say(store: Store, user: str, settings: Settings, console: bool = False) -> str:
    asker = Asker(user, settings, NOW, console=console)
    return blocks_to_text(Answers(store).answer("calendar", today=NOW.date(), asker=asker).blocks)


def test_an_editor_gets_the_whole_url_and_the_same_one_next_time(store: Store) -> None:
    settings = Settings(editors=EDITORS, public_url="https://brs.example.org")
    first = say(store, "U0EDITOR", settings)
    token = store.setting(TOKEN_SETTING)
    assert f"https://brs.example.org/calendar/{token}.ics" in first
    assert say(store, "U0OTHER", settings) == first


def test_brs_calendar_token_is_the_one_shown(store: Store) -> None:
    settings = Settings(
        editors=EDITORS, public_url="https://brs.example.org", calendar_token="t" * 20
    )
    assert f"https://brs.example.org/calendar/{'t' * 20}.ics" in say(store, "U0EDITOR", settings)
    assert store.setting(TOKEN_SETTING) is None  # none made: BRS_CALENDAR_TOKEN decides


def test_without_brs_public_url_the_path_and_how_to_set_it(store: Store) -> None:
    out = say(store, "console", Settings(), console=True)
    assert f"/calendar/{store.setting(TOKEN_SETTING)}.ics" in out
    assert "Set BRS_PUBLIC_URL=https://brs.example.org" in out


def test_anyone_else_is_told_whom_to_ask_and_sees_no_token(store: Store) -> None:
    out = say(store, "U0STRANGER", Settings(editors=EDITORS, public_url="https://b.org"))
    assert "ask one of them for it: @U0EDITOR, @U0OTHER" in out
    assert "/calendar/" not in out and store.setting(TOKEN_SETTING) is None


def test_socket_mode_has_no_feed_to_offer(store: Store) -> None:
    settings = Settings(editors=EDITORS, app_token="xapp-1", public_url="https://b.org")
    out = say(store, "U0EDITOR", settings)
    assert "Socket Mode" in out and "/calendar/" not in out
