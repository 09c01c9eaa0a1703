"""The App Home dashboard: within Slack's limits for any report, for editors and everyone else."""

from __future__ import annotations

import json

import pytest

from bot.queries.home import home_data
from bot.render.home import MAX_BLOCKS, PAGE, ROW, home_view
from bot.render.text import blocks_to_text
from tests.bot.big_report import big_store
from tests.bot.conftest import TODAY, make_store
from tests.bot.slack_limits import view_problems


def _buttons(view: dict) -> list[dict]:
    found = []
    for b in view["blocks"]:
        found += [b["accessory"]] if "accessory" in b else []
        found += b.get("elements", []) if b["type"] == "actions" else []
    return found


def _menu(view: dict, what: str) -> list[str]:
    """The codes of the rows' menu options `what` ("details", "edit"), in view order."""
    return [
        o["value"].partition(":")[2]
        for b in _buttons(view)
        if b["action_id"] == ROW
        for o in b["options"]
        if o["value"].startswith(what + ":")
    ]


def _all_pages(store, editor: bool) -> list[dict]:
    data = home_data(store, today=TODAY, editor=editor)
    first = home_view(data)
    views = [first]
    while nxt := [b for b in _buttons(views[-1]) if b["action_id"] == f"{PAGE}:next"]:
        views.append(home_view(data, int(nxt[0]["value"])))
        assert len(views) < 50
    return views


@pytest.mark.parametrize("editor", [False, True], ids=["reader", "editor"])
def test_a_report_of_200_activities_pages_within_slacks_limits(editor: bool) -> None:
    store = big_store(200)

    views = _all_pages(store, editor)

    assert len(views) > 1
    shown = []
    for v in views:
        assert view_problems(v) == [], view_problems(v)[:5]
        assert len(v["blocks"]) <= MAX_BLOCKS
        shown += _menu(v, "details")
    assert shown == [a.code for a in store.activities()]  # each activity once, in report order
    edits = [code for v in views for code in _menu(v, "edit")]
    assert edits == (shown if editor else [])


@pytest.mark.parametrize("editor", [False, True], ids=["reader", "editor"])
def test_the_bundled_size_fits_on_one_page(editor: bool) -> None:
    view = home_view(home_data(make_store(), today=TODAY, editor=editor))

    assert view_problems(view) == []
    text = blocks_to_text(view["blocks"])
    assert "Technical assistance" in text and "Overall management" in text
    assert (
        "1 not yet funded" in text and "1 mixed funding" in text and "1 no funding needed" in text
    )
    assert "Overdue" in text and "S17-2" in text  # the next deadlines, with the activity
    assert not [b for b in _buttons(view) if b["action_id"].startswith(PAGE)]
    assert _menu(view, "edit") == (["S1", "S4", "S17"] if editor else [])
    assert _menu(view, "details") == ["S1", "S4", "S17"]


def test_every_page_keeps_the_counts_and_deadlines_and_a_page_past_the_end_shows_the_last() -> None:
    data = home_data(big_store(200), today=TODAY, editor=False)

    last = home_view(data, 999)
    text = blocks_to_text(last["blocks"])
    assert "50 not yet funded" in text and "Overdue" in text and "Next deadlines" in text
    assert "S200" in json.dumps(last)
    assert [b for b in _buttons(last) if b["action_id"] == f"{PAGE}:prev"]
    assert home_view(data, -3)["blocks"] == home_view(data, 0)["blocks"]


def test_text_from_the_report_is_escaped_and_pings_nobody() -> None:
    view = home_view(home_data(big_store(12), today=TODAY, editor=True))

    assert view_problems(view) == []  # the checker rejects unescaped <, > and &
    assert "&lt;cooperation&gt;" in json.dumps(view)


def test_an_empty_store_says_how_to_fill_it() -> None:
    view = home_view(home_data(make_store(items=[], dls=[]), today=TODAY, editor=False))

    assert view_problems(view) == []
    assert "brs import" in blocks_to_text(view["blocks"])


def test_yours_comes_first_with_next_deadlines_and_owners_may_edit_their_own() -> None:
    store = make_store()
    store.set_setting("owners:S17", ["U0JANE"], "U0ED")
    store.set_setting("follows:U0JANE", ["S1"], "U0JANE")
    view = home_view(home_data(store, today=TODAY, editor=False, user="U0JANE"))

    assert view_problems(view) == []
    text = blocks_to_text(view["blocks"])
    yours = text.index("Yours (2)")
    assert yours < text.index("Overdue") < text.index("Technical assistance")
    part = text[yours : text.index("Overdue")]
    assert "S1" in part and "you follow it" in part and "S17" in part and "you own it" in part
    assert "S17-2" in part  # S17's next deadline
    assert "S4" not in part
    # Jane may edit S17 (she owns it), not S1 (she follows it) nor S4.
    assert sorted(set(_menu(view, "edit"))) == ["S17"]
    assert set(_menu(view, "details")) == {"S1", "S4", "S17"}
    # A funding marker on every activity row.
    rows = [b for b in view["blocks"] if (b.get("accessory") or {}).get("action_id") == ROW]
    assert rows and all(b["text"]["text"].startswith(":") for b in rows)
    assert ":red_circle:" in json.dumps(view)  # the not-yet-funded one


def test_nothing_of_yours_says_how_to_follow() -> None:
    view = home_view(home_data(make_store(), today=TODAY, editor=False, user="U0NOBODY"))
    assert "/brs follow S8" in blocks_to_text(view["blocks"])
    assert view_problems(view) == []


def test_many_of_yours_on_a_big_report_stay_within_the_limits() -> None:
    store = big_store(200)
    codes = [a.code for a in store.activities()]
    store.set_setting("follows:U0OMAR", codes[:150], "U0OMAR")
    store.set_setting(f"owners:{codes[3]}", ["U0OMAR"], "U0ED")
    data = home_data(store, today=TODAY, editor=False, user="U0OMAR")
    assert len(data.yours) == 150
    first = home_view(data)
    assert view_problems(first) == [] and len(first["blocks"]) <= MAX_BLOCKS
    assert "… and 142 more: /brs following" in blocks_to_text(first["blocks"])
    page = 0
    while nxt := [b for b in _buttons(first) if b["action_id"] == f"{PAGE}:next"]:
        page = int(nxt[0]["value"])
        first = home_view(data, page)
        assert view_problems(first) == [] and len(first["blocks"]) <= MAX_BLOCKS
    assert page > 0
