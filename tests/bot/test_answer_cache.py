"""Read-only answers are reused only while the store and the day are unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.answer import Answers
from bot.render.text import blocks_to_text
from store.bootstrap import open_store


def test_a_change_or_a_new_day_is_never_answered_from_the_cache(tmp_path):
    clock = lambda: datetime(2012, 8, 20, 7, tzinfo=UTC)  # noqa: E731
    with open_store(tmp_path / "brs.json", clock=clock) as store:
        answer = Answers(store).answer
        day = date(2012, 8, 20)
        first = answer("S17", today=day)
        assert answer("s17", today=day) is first  # the same question, the same store
        assert "in 11 days" in blocks_to_text(answer("S17", today=day).blocks)
        assert "in 10 days" in blocks_to_text(answer("S17", today=date(2012, 8, 21)).blocks)
        store.commit(
            "U1", [("activity:S17", "title", "Review arrangements", "Review of arrangements")]
        )
        again = blocks_to_text(answer("S17", today=day).blocks)
        assert "Review of arrangements" in again
