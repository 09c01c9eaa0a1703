"""The card keeps what matters: newest lines first, next steps, funding and deadlines, in limits."""

from __future__ import annotations

import pytest

from bot.answer import Answers
from bot.render.text import blocks_to_text
from tests.bot.console_run import console
from tests.bot.edit_store import asker, fresh_store
from tests.bot.slack_limits import assert_fits

LONG = "Responses came in from parties, with comments on the draft and questions " * 12


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    who = asker(name="jane.doe")
    for n in range(1, 61):
        s.commit(who.user, [_line(s, f"Week {n}: {LONG}")])
    yield s
    s.close()


def _line(store, text):
    old = list(store.activity("S17").rows[0].status)
    return ("activity:S17", "rows.0.status", old, [*old, text])


def card(store, text="S17"):
    who = asker()
    reply = Answers(store).answer(text, today=who.today, asker=who)
    assert_fits(reply)
    return reply, blocks_to_text(reply.blocks)


def test_a_card_with_60_long_updates_fits_and_shows_what_matters(store):
    reply, text = card(store)
    assert "Week 60:" in text and text.index("Week 60:") < text.index("Week 59:")
    assert "Week 1:" not in text
    earlier = next(line for line in text.splitlines() if "earlier lines" in line)
    assert earlier.endswith("earlier lines — /brs history S17 / /brs S17 all")
    assert "Next steps" in text and "Funding status: no funding needed" in text
    for dl in ("S17-2", "S17-3", "S17-4"):  # the open deadlines
        assert dl in text
    assert "brs export" not in text  # nothing a Slack user cannot type


def test_the_whole_card_is_paged_within_the_limits(store):
    _, text = card(store, "S17 all")
    assert "Week 60:" in text and "Week 52:" in text  # whole lines, more of them
    assert "earlier lines" not in text
    assert "older lines: /brs history S17" in text  # 60 long lines are more than one message


def test_the_compact_card_has_title_latest_line_funding_next_deadline_and_a_button(store):
    reply, text = card(store, "s17 brief")
    assert text.startswith("S17 · Review arrangements")
    assert "Latest: Week 60:" in text and "Week 59" not in text
    assert "Funding: no funding needed" in text and "Next deadline: S17-1 30 April 2012" in text
    [button] = [b["accessory"] for b in reply.blocks if "accessory" in b]
    assert (button["action_id"], button["value"]) == ("card_full", "S17")


def test_the_console_shows_the_same_card(store):
    (out,) = console(store, "/brs S17")
    assert "Week 60:" in out and "earlier lines — /brs history S17 / /brs S17 all" in out


def test_a_code_takes_only_all_or_brief_after_it(store):
    (out,) = console(store, "/brs S17 everything")
    assert "An activity code stands alone, like: /brs S17 (or /brs S17 all for every line)" in out
