"""Follows and DMs: anyone follows for themselves; the settings the scheduler reads; bad input."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.answer import Answers
from bot.changes.editors import Asker
from bot.grammar import CommandError, parse
from bot.grammar.follows import DirectMessages, Follow, Following
from bot.render.text import blocks_to_text
from bot.settings import Settings
from jobs import recipients
from store.repository import Store
from tests.store.bundled import bundled_store

TZ = ZoneInfo("Europe/Zurich")
NOW = datetime(2012, 8, 20, 9, 0, tzinfo=TZ)
EDITOR, JANE, OMAR = "U0EDITOR", "U0JANE", "U0OMAR"
SETTINGS = Settings(editors=frozenset({EDITOR}))


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    with bundled_store(tmp_path) as s:
        yield s


def say(store: Store, text: str, user: str = OMAR) -> str:
    reply = Answers(store).answer(text, today=NOW.date(), asker=Asker(user, SETTINGS, NOW, "C0GEN"))
    return blocks_to_text(reply.blocks).strip()


def test_the_grammar() -> None:
    assert parse("/brs follow s8") == Follow("S8", True)
    assert parse("/brs unfollow S8") == Follow("S8", False)
    assert parse("/brs following") == Following()
    assert parse("/brs dm off") == DirectMessages(False)
    assert parse("/brs dm ON") == DirectMessages(True)
    assert parse("/brs dm") == DirectMessages(None)
    for bad, said in [
        ("/brs follow", "takes one activity code"),
        ("/brs follow S8 S9", 'not "S8 S9"'),
        ("/brs follow eight", "/brs follow S8"),
        ("/brs dm maybe", "Say on or off"),
        ("/brs following S8", "takes nothing"),
    ]:
        with pytest.raises(CommandError, match=said):
            parse(bad)


def test_anyone_follows_and_unfollows_for_themselves(store: Store) -> None:
    assert "You now follow S8" in say(store, "/brs follow s8")  # not an editor
    assert recipients.follows(store, OMAR) == ("S8",)
    assert recipients.followers(store, "S8") == (OMAR,)
    assert recipients.dm_users(store, "S8") == (OMAR,)
    assert "You already follow S8" in say(store, "/brs follow S8")
    assert recipients.followers(store, "S8") == (OMAR,)
    say(store, "/brs follow S8", user=JANE)
    assert recipients.followers(store, "S8") == (OMAR, JANE)

    listed = say(store, "/brs following")
    assert "You follow (1)" in listed and "S8" in listed
    assert "You no longer follow S8" in say(store, "/brs unfollow S8")
    assert recipients.follows(store, OMAR) == ()
    assert recipients.followers(store, "S8") == (JANE,)  # Jane's stays
    assert "You follow nothing yet" in say(store, "/brs following")
    assert "You did not follow S8" in say(store, "/brs unfollow S8")


def test_an_unknown_code_names_the_valid_ones_and_changes_nothing(store: Store) -> None:
    assert 'No activity "S99". Valid codes: S1, S2' in say(store, "/brs follow S99")
    assert recipients.follows(store, OMAR) == ()


def test_following_lists_what_you_own_too(store: Store) -> None:
    say(store, f"/brs owner S17 {OMAR}", user=EDITOR)
    listed = say(store, "/brs following")
    assert "You own (1)" in listed and "S17" in listed


def test_dm_off_and_on(store: Store) -> None:
    say(store, f"/brs owner S17 {OMAR}", user=EDITOR)
    say(store, "/brs follow S8")
    assert "on for you" in say(store, "/brs dm")
    assert "off; the channel still gets them" in say(store, "/brs dm off")
    assert recipients.dm_off(store, OMAR)
    assert recipients.dm_users(store, "S17") == () and recipients.dm_users(store, "S8") == ()
    assert "off already" in say(store, "/brs dm off")
    assert "none come yet" in say(store, "/brs follow S1")
    assert "on again" in say(store, "/brs dm on")
    assert recipients.dm_users(store, "S17") == (OMAR,)


def test_people_following_the_same_activity_at_once_are_all_kept(store: Store) -> None:
    users = [f"U0P{i:03d}" for i in range(8)]
    threads = [threading.Thread(target=say, args=(store, "/brs follow S8", u)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(recipients.followers(store, "S8")) == sorted(users)
    assert all(recipients.follows(store, u) == ("S8",) for u in users)
