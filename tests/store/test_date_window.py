"""No single stored date can make a read fail, and no new one outside 1900–2200 is saved."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.answer import Answers
from bot.render.text import blocks_to_text
from store.model import Deadline, deadline_to_dict
from store.repository import Store
from store.storage import StoreError
from tests.bot.conftest import TODAY, make_store


def test_a_far_event_from_an_older_store_shows_the_deadline_undated_and_reads_go_on() -> None:
    # An older brs saved COP-2013 at 0001-01-01: S17-4 is 90 days before it, before year 1.
    made = make_store()
    path = made.path
    made.close()
    db = json.loads(path.read_text())
    for row in db["events"].values():
        row["on"] = "0001-01-01"
    path.write_text(json.dumps(db))
    store = Store.open(path)
    answers = Answers(store)
    for text in ("S17", "list", "deadlines", "funding", "history S17", "events"):
        reply = answers.answer(text, today=TODAY)
        assert "went wrong" not in blocks_to_text(reply.blocks)
    assert "S17-4" in blocks_to_text(answers.answer("deadlines", today=TODAY).blocks)
    assert next(d for d in store.deadlines() if d.id == "S17-4").resolved(store.events()) is None


@pytest.mark.parametrize("on", [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31)])
def test_a_date_outside_the_window_is_not_saved_and_says_the_range(on: date) -> None:
    store = make_store()
    before = store.version
    with pytest.raises(StoreError, match="outside the years 1900–2200"):
        store.commit("U1", [("event:COP-2013", "", "2013-04-28", on.isoformat())])
    dl = Deadline("S17-9", "S17", "far away", "far away", on=on)
    with pytest.raises(StoreError, match="outside the years 1900–2200"):
        store.commit("U1", [("deadline:S17-9", "", None, deadline_to_dict(dl))])
    assert store.version == before


def test_an_offset_beyond_a_century_is_not_saved() -> None:
    store = make_store()
    dl = Deadline("S17-9", "S17", "x", "x", event="COP-2013", offset_days=-400_000)
    with pytest.raises(StoreError, match="at most 36,500"):
        store.commit("U1", [("deadline:S17-9", "", None, deadline_to_dict(dl))])


def test_deadlines_on_an_event_near_year_one_resolve_to_no_date() -> None:
    store = make_store(evts={"COP-2013": date(2013, 4, 28)})
    events = {"COP-2013": date(1, 1, 1)}  # as an older store might hold it
    assert all(d.resolved(events) is None or d.event is None for d in store.deadlines())
