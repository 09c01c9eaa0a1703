"""The console's plain-text view of Block Kit replies."""

from __future__ import annotations

from bot.answer import Answers
from bot.render.text import blocks_to_text, mrkdwn_to_text
from tests.bot.conftest import TODAY


def answer(store, text: str, **kw):
    """One command answered as the app does, from a fresh Answers on `store`."""
    return Answers(store).answer(text, **kw)


def md(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def test_each_block_kind_reads_as_text() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "S17 · Review"}},
        {"type": "context", "elements": [md("Section VII"), md("*no funding needed*")]},
        {"type": "section", "text": md("*Next steps*\n• collect responses")},
        {"type": "section", "fields": [md("*Funding needed*\nNo"), md("*Status*\nfully\nfunded")]},
        {"type": "divider"},
        {"type": "section", "text": md("after the line")},
        {"type": "actions", "elements": [{"type": "button", "action_id": "share",
                                          "text": {"type": "plain_text", "text": "Share in channel"}}]},
    ]  # fmt: skip
    assert blocks_to_text(blocks) == (
        "S17 · Review\n"
        "============\n"
        "Section VII · no funding needed\n\n"
        "Next steps\n• collect responses\n\n"
        "Funding needed: No\nStatus: fully\n  funded\n\n"
        "after the line\n\n"
        "[Share in channel]"
    )


def test_mrkdwn_markup_becomes_what_a_reader_sees() -> None:
    assert mrkdwn_to_text("by <@U123> on *31 August 2012*") == "by @U123 on 31 August 2012"
    assert mrkdwn_to_text("&lt;!channel&gt; a &amp; b &amp;lt;") == "<!channel> a & b &lt;"
    assert mrkdwn_to_text("<https://x.org|the site>") == "the site (https://x.org)"
    assert mrkdwn_to_text("_none listed_ `S17-2`") == "none listed S17-2"


def test_plain_stars_and_underscores_survive() -> None:
    assert mrkdwn_to_text("2*3*4 and a * b * c") == "2*3*4 and a * b * c"
    assert mrkdwn_to_text("status not_yet_funded") == "status not_yet_funded"


def test_whole_card_is_readable(store) -> None:
    text = blocks_to_text(answer(store, "S17", today=TODAY).blocks)
    first, underline = text.split("\n")[:2]
    assert first == "S17 · Review arrangements" and underline == "=" * len(first)
    assert "last change: @U456, 15 July 2012 14:05 UTC" in text
    assert "Funding needed: No" in text
    assert "S17-2 31 August 2012 · in 11 days — collect responses from parties" in text
    assert "*" not in text and "&lt;" not in text and "<@" not in text
    assert text.endswith("[Share in channel]")


def test_errors_read_as_one_line(store) -> None:
    text = blocks_to_text(answer(store, "deadlines soon", today=TODAY).blocks)
    assert text == '"deadlines" takes a number of days, like: /brs deadlines 30'


def test_emoji_shortcodes_show_as_characters():
    from bot.render.text import mrkdwn_to_text

    assert mrkdwn_to_text(":alarm_clock: Reminder :white_check_mark:") == "⏰ Reminder ✅"
