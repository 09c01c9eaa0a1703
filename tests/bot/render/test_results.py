"""Replies as a user sees them: content, escaping, the Share button and Slack's limits."""

from __future__ import annotations

import copy
import random
from dataclasses import replace
from datetime import date

import pytest

from bot.answer import Answers
from bot.render.blocks import (
    actions,
    button,
    context,
    cut,
    escape_mrkdwn,
    fields_section,
    fit,
    header,
    section,
)
from bot.render.format import fmt_date, fmt_days
from bot.render.text import blocks_to_text
from store.model import Activity, Funding, FundingPart, Row
from tests.bot.conftest import HISTORY, S17, S17_IMPORTED, TODAY, Step, make_store
from tests.bot.slack_limits import assert_fits, problems, share_value


def answer(store, text: str, **kw):
    """One command answered as the app does, from a fresh Answers on `store`."""
    return Answers(store).answer(text, **kw)


QUERIES = [
    "S17", "s4", "s1", "list", "section I", "section vii", "funding", "funding partly",
    "funding mixed", "deadlines", "deadlines 30", "search questionnaire", "search xylophone",
    "history S17", "history s1", "help", "",
]  # fmt: skip
ERRORS = ["S99", "history S99", "section finance", "deadlines soon", "frobnicate", "search"]


def all_text(reply) -> str:
    return str(reply.blocks)


@pytest.mark.parametrize("text", QUERIES)
def test_every_query_reply_fits_and_ends_with_share(store, text: str) -> None:
    reply = answer(store, text, today=TODAY)
    assert_fits(reply)
    assert share_value(reply) is not None


@pytest.mark.parametrize(
    ("text", "value"),
    [("s17", "S17 brief"), ("/brs  funding  partly", "funding partly"), ("deadlines", "deadlines"),
     ("funding notyet", "funding not-yet"), ("section vii", "section vii"), ("", "help")],
)  # fmt: skip
def test_share_value_is_the_canonical_command(store, text: str, value: str) -> None:
    assert share_value(answer(store, text, today=TODAY)) == value


@pytest.mark.parametrize("text", ERRORS)
def test_errors_are_one_short_section_without_share(store, text: str) -> None:
    reply = answer(store, text, today=TODAY)
    assert_fits(reply)
    assert [b["type"] for b in reply.blocks] == ["section"]
    assert share_value(reply) is None
    assert len(reply.blocks[0]["text"]["text"]) < 300


def test_unknown_code_reply_lists_valid_codes(store) -> None:
    reply = answer(store, "S99", today=TODAY)
    assert reply.blocks[0]["text"]["text"] == 'No activity "S99". Valid codes: S1, S4, S17.'


def test_card_shows_what_the_report_says(store) -> None:
    reply = answer(store, "s17", today=TODAY)
    assert reply.blocks[0]["text"]["text"] == "S17 · Review arrangements"
    context = " ".join(e["text"] for e in reply.blocks[1]["elements"])
    assert "VII" in context and "Overall management" in context
    assert "no funding needed" in context
    assert "<@U456>" in context and "15 July 2012" in context
    text = all_text(reply)
    assert "*Decision requests*" in text and "*Next steps*" in text
    assert "*Funding needed*\\nNo" in text
    assert "`S17-2` 31 August 2012 · *in 11 days* — collect responses from parties" in text
    assert "28 January 2013 (90 days before COP-2013)" in text
    assert "✓ `S17-5` 21 May 2012 · done" in text
    assert "Request 1 of" not in text  # one row: no request labels
    assert reply.text == "S17 · Review arrangements"


def test_card_with_several_rows_labels_them_and_shows_mixed_words(store) -> None:
    text = all_text(answer(store, "S4", today=TODAY))
    assert "*Request 1 of 2*" in text and "*Request 2 of 2*" in text
    assert "_none listed_" in text  # row 1 has no next steps
    assert "mixed funding\\nFully funded in 2012; partly funded in 2013" in text
    assert "29–31 March 2012 · done" in text


def test_card_without_changes_says_import_and_unset_event_says_how_to_set_it() -> None:
    store = make_store(items=[S17], evts={})
    reply = answer(store, "S17", today=TODAY)
    assert "last change: import" in str(reply.blocks[1])
    assert "date not set: /brs event COP-2013 &lt;date&gt;" in all_text(reply)


def test_history_reads_as_who_when_what(store) -> None:
    text = all_text(answer(store, "history S17", today=TODAY))
    newest = "*15 July 2012 14:05 UTC* · <@U456>\\n      Funding status: partly funded → no funding needed"
    assert newest in text
    assert "*2 June 2012 08:30 UTC* · <@U123>\\n      Deadline `S17-1` marked done" in text
    assert "Status of implementation: + “The secretariat provided support to UNEP/ FAO" in text
    created = "*1 May 2012 07:00 UTC* · the import\\n      Activity created (imported): “Review"
    assert created in text
    assert text.index(newest) < text.index("created (imported)")


def test_history_of_a_reimport_shows_the_lines_that_changed() -> None:
    s4 = make_store().activity("S4")
    assert s4 is not None
    old = ("a", "The questionnaire was sent to parties on 21 May 2012.")
    s4 = replace(s4, rows=(s4.rows[0], replace(s4.rows[1], status=old)))
    steps = [
        Step("2013-01-01T00:00:00Z", "import", "activity:S4", {"rows.1.status": ["a", "Came in."]})
    ]
    text = all_text(answer(make_store(items=[s4], history=steps), "history S4", today=TODAY))
    expected = "Status of implementation, request 2: + “Came in.”; − “The questionnaire was sent"
    assert expected + " to parties on 21 May 2012.”" in text


def test_overdue_days_read_naturally(store) -> None:
    text = all_text(answer(store, "deadlines", today=date(2012, 9, 3)))
    assert "*Overdue* (1)" in text and "*3 days overdue*" in text
    assert text.index("Overdue") < text.index("Upcoming")


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "today"), (1, "tomorrow"), (12, "in 12 days"), (-1, "1 day overdue"),
     (-3, "3 days overdue"), (13, "in 13 days"), (14, "in 2 weeks"), (21, "in 3 weeks"),
     (59, "in 8 weeks"), (60, "in 2 months"), (133, "in 4 months"), (364, "in 12 months"),
     (365, "in 1 year"), (-730, "2 years overdue"), (-5328, "14 years overdue")],
)  # fmt: skip
def test_days(days: int, words: str) -> None:
    assert fmt_days(days) == words


def test_dates_have_no_leading_zero() -> None:
    assert fmt_date(date(2012, 8, 1)) == "1 August 2012"
    assert fmt_date(date(2012, 12, 31)) == "31 December 2012"


def test_cut_never_splits_an_entity() -> None:
    assert cut("a &amp; b", 5) == "a…"
    assert cut("short", 10) == "short"
    assert len(cut("x" * 100, 20, "more: brs")) == 20


NASTY = "<!channel> ping <@U777> see <https://x|y> a & b"


def nasty_store():
    row = replace(S17_IMPORTED.rows[0], status=(NASTY,), next_steps=(NASTY,))
    act = replace(S17_IMPORTED, title=f"Review {NASTY}", rows=(row,))
    nasty_line = Step(
        "2012-08-01T00:00:00Z", "U999", "activity:S17", {"rows.0.status": [NASTY, NASTY]}
    )
    return make_store(items=[act], history=[*HISTORY[1:], nasty_line])


@pytest.mark.parametrize("text", ["S17", "list", "history S17", "search channel", "funding"])
def test_report_text_cannot_ping_or_forge_links(text: str) -> None:
    reply = answer(nasty_store(), text, today=TODAY)
    assert_fits(reply)  # the checker rejects any unescaped < > & in mrkdwn
    mrkdwn = str([b for b in reply.blocks if b["type"] != "header"])
    assert "<!channel>" not in mrkdwn and "<https" not in mrkdwn and "<@U777>" not in mrkdwn
    assert "&lt;!channel&gt;" in mrkdwn
    assert "<!channel>" not in reply.text


def test_header_stays_plain_text_and_nothing_is_escaped_twice() -> None:
    reply = answer(nasty_store(), "S17", today=TODAY)
    assert reply.blocks[0]["text"]["type"] == "plain_text"
    assert reply.blocks[0]["text"]["text"] == f"S17 · Review {NASTY}"
    text = all_text(reply)
    assert "a &amp; b" in text and "&lt;https://x|y&gt;" in text
    assert "&amp;amp;" not in text and "&amp;lt;" not in text


def test_escape_mrkdwn() -> None:
    assert escape_mrkdwn("<@U1> & <!here>") == "&lt;@U1&gt; &amp; &lt;!here&gt;"


def huge_activity() -> Activity:
    line = ("word " * 2000).strip()  # 9,999 characters
    funding = Funding(
        "yes", line, "mixed", (FundingPart("partly", line), FundingPart("fully", line))
    )
    row = Row((line,) * 3, (line,) * 3, (line,) * 3, ("Yes", line), (line,) * 3, funding)
    return Activity("S17", "T" * 500, "VII", "M" * 500, (row,) * 100)


def test_huge_activity_still_fits() -> None:
    store = make_store(items=[huge_activity()])
    reply = answer(store, "S17", today=TODAY)
    assert_fits(reply)
    assert share_value(reply) == "S17 brief"  # Share posts the compact card
    assert reply.blocks[0]["text"]["text"].endswith("…")
    # The card keeps its deadlines; the requests that do not fit are named, with where to see them.
    text = all_text(reply)
    assert "more requests: `/brs S17 all`" in text and "*Deadlines*" in text


@pytest.mark.parametrize("text", ["list", "funding", "search word", "deadlines", "section VII"])
def test_huge_store_lists_still_fit(text: str) -> None:
    s4 = make_store().activity("S4")
    many = [replace(s4, code=f"S{i}", title=f"Title {i} " * 40) for i in range(300) if i != 17]
    store = make_store(items=[*many, huge_activity()])
    reply = answer(store, text, today=TODAY)
    assert_fits(reply)
    assert share_value(reply) is not None


def test_long_history_and_long_search_query_fit(store) -> None:
    steps = [Step("2012-06-01T00:00:00Z", "U1", "activity:S17", {"rows.0.status": [c * 5000]})
             for c in "on" * 100]  # fmt: skip
    assert_fits(answer(make_store(items=[S17], history=steps), "history S17", today=TODAY))
    reply = answer(store, "search " + "questionnaire " * 400, today=TODAY)
    assert_fits(reply)
    assert len(share_value(reply)) <= 2000


def test_checker_catches_what_slack_rejects() -> None:
    bad = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
    bad += [{"type": "section", "text": {"type": "mrkdwn", "text": "<!channel> " + "y" * 3000}}]
    bad += [{"type": "divider"}] * 49
    found = problems(bad, "ok")
    assert len(found) == 4  # header length, section length, unescaped <, block count


def test_plain_text_view_is_readable(store) -> None:
    text = blocks_to_text(answer(store, "S4", today=TODAY).blocks)
    assert text.startswith("S4 · Develop partnerships")
    assert "\n=====" in text
    assert "Funding needed: Yes" in text
    assert "*" not in text and "&amp;" not in text
    assert text.rstrip().endswith("[Share in channel]")


def test_fit_keeps_any_mix_of_blocks_within_limits() -> None:
    def md(n: int) -> str:
        return "word " * n

    rng = random.Random(3)
    for _ in range(30):
        blocks: list = [header("h" * rng.randint(1, 400))]
        for _ in range(rng.randint(0, 80)):
            kind, n = rng.random(), rng.randint(1, 25)
            if kind < 0.5:
                blocks.append(section(md(rng.randint(1, 1500))))
            elif kind < 0.8:
                blocks.append(fields_section(*[md(rng.randint(1, 600)) for _ in range(n)]))
            else:
                blocks.append(context(*[md(rng.randint(1, 100)) for _ in range(n)]))
        value = "x" * rng.randint(1, 3000)
        blocks.append(actions(button("b" * 90, "share", value)))
        out = fit(blocks)
        assert not problems(out), problems(out)
        assert out[-1]["type"] == "actions"


def test_fit_never_changes_the_blocks_it_is_given() -> None:
    # Replies are cached and shared: fitting one again must not cut what another holds.
    blocks = [
        header("h" * 400),
        section("word " * 1000),
        fields_section(*["f" * 2500] * 12),
        context(*["c" * 2500] * 12),
        actions(button("b" * 90, "share", "x" * 3000)),
    ]
    before = copy.deepcopy(blocks)
    out = fit(blocks)
    assert blocks == before
    assert not problems(out), problems(out)
