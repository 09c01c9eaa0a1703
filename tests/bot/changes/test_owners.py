"""Owners: editors name them; an owner may change their own activity and its deadlines, nothing
else; the card, the list and App Home show them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.answer import Answers
from bot.changes.editors import Asker
from bot.changes.owners import may_change
from bot.queries.home import home_data
from bot.queries.owners import owners_of, setting_name
from bot.render.home import home_view
from bot.render.text import blocks_to_text
from bot.settings import Settings
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


def say(store: Store, text: str, user: str = EDITOR) -> str:
    reply = Answers(store).answer(text, today=NOW.date(), asker=Asker(user, SETTINGS, NOW, "C0GEN"))
    return blocks_to_text(reply.blocks).strip()


def test_editors_name_and_remove_owners_and_anyone_sees_them(store: Store) -> None:
    assert "S17 has no owners yet" in say(store, "owner S17", JANE)
    assert "S17 is now owned by @U0JANE, @U0OMAR" in say(
        store, "owner S17 <@U0JANE|jane> <@U0OMAR>"
    )
    assert owners_of(store, "s17") == (JANE, OMAR)
    assert "already owns S17" in say(store, "owner S17 <@U0JANE|jane>")
    assert "S17 is now owned by @U0OMAR" in say(store, "owner S17 remove <@U0JANE|jane>")
    assert "@U0JANE is not an owner of S17" in say(store, "owner S17 remove <@U0JANE>")
    assert say(store, "owner S17", JANE) == "S17 is owned by @U0OMAR."
    changes = store.history(f"setting:{setting_name('S17')}")
    assert [c.new for c in changes] == [[JANE, OMAR], [OMAR]] and changes[0].user == EDITOR


def test_only_editors_name_owners(store: Store) -> None:
    out = say(store, "owner S17 <@U0JANE|jane>", JANE)
    assert out.startswith("Only the editors can change brs: @U0EDITOR")
    assert owners_of(store, "S17") == ()


def test_an_owner_changes_their_own_activity_and_its_deadlines(store: Store) -> None:
    say(store, "owner S17 <@U0JANE|jane>")

    assert "Added to S17" in say(store, "update S17 Responses from 12 parties", JANE)
    assert "S17 is now partly funded" in say(store, "set S17 funding partly Donor X", JANE)
    assert "Undid the change @U0JANE made to S17" in say(store, "undo S17", JANE)
    assert store.activity("S17").funding_status == "none"
    assert "Added S17-7 to S17" in say(
        store, "deadline add S17 2012-10-01 Remind the parties", JANE
    )
    assert "S17-2 is done" in say(store, "deadline done S17-2", JANE)
    assert "Removed S17-7" in say(store, "deadline remove S17-7", JANE)
    assert [c.user for c in store.history("S17")[-3:]] == [JANE, JANE, JANE]
    assert may_change(store, SETTINGS, JANE, "S17") and not may_change(store, SETTINGS, JANE, "S8")


@pytest.mark.parametrize(
    "text",
    [
        "update S8 Not mine",
        "set S8 funding fully",
        "deadline add S8 2012-10-01 Not mine",
        "deadline done S9-1",
        "undo S8",
        "event COP-2013 2013-05-01",  # events move every activity's deadlines: editors only
        "remind off",
    ],
)
def test_an_owner_is_refused_everything_else_and_nothing_changes(store: Store, text) -> None:
    say(store, "owner S17 <@U0JANE|jane>")
    before = (store.activities(), store.deadlines(), store.events(), store.version)

    out = say(store, text, JANE)

    assert "Only the editors can change brs: @U0EDITOR" in out
    assert (store.activities(), store.deadlines(), store.events(), store.version) == before


def test_refused_on_an_owned_activity_names_its_owners(store: Store) -> None:
    say(store, "owner S8 <@U0OMAR|omar>")
    out = say(store, "update S8 Hello", JANE)
    assert "S8's owners can change it too: @U0OMAR." in out


def test_the_card_the_list_and_app_home_show_the_owners(store: Store) -> None:
    say(store, "owner S17 <@U0JANE|jane> <@U0OMAR|omar>")

    assert "owners: @U0JANE, @U0OMAR" in say(store, "S17", JANE)
    s17 = next(line for line in say(store, "list", JANE).splitlines() if "S17 Review" in line)
    assert s17.endswith("— @U0JANE, @U0OMAR")
    view = home_view(home_data(store, today=NOW.date(), editor=False))
    assert "owners: <@U0JANE>, <@U0OMAR>" in str(view)


def test_refusals_from_every_change_path_name_the_owners(store: Store) -> None:
    """One rule (bot.changes.editors.check): the same refusal from edits and deadlines."""
    say(store, "owner S8 <@U0OMAR|omar>")
    for text in ("set S8 funding fully", "deadline add S8 2012-10-01 Not mine", "undo S8"):
        assert "S8's owners can change it too: @U0OMAR." in say(store, text, JANE)


def test_an_owner_moves_snoozes_and_redoes_on_their_own_activity_only(store: Store) -> None:
    from bot.changes import deadlines, edits
    from bot.changes.outcomes import Refused
    from bot.grammar import parse

    say(store, "owner S17 <@U0JANE|jane>")
    jane = Asker(JANE, SETTINGS, NOW, "C0GEN")
    mine = [
        parse(t, today=NOW.date()) for t in ("deadline move S17-3 2012-12-01", "snooze S17-3 1w")
    ]
    assert not any(isinstance(deadlines.apply(store, c, jane), Refused) for c in mine)
    say(store, "update S17 A line", JANE)
    say(store, "undo S17", JANE)
    assert not isinstance(edits.apply(store, parse("redo S17"), jane), Refused)
    theirs = parse("deadline move S9-1 2012-12-01", today=NOW.date())
    assert isinstance(deadlines.apply(store, theirs, jane), Refused)
