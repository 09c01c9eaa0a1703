"""Which /brs commands are writes, so that an exact replay of one is a no-op."""

from __future__ import annotations

from bot.slack.listeners.commands import writes


def test_naming_or_removing_owners_is_a_write_showing_them_or_the_calendar_is_not() -> None:
    assert writes("owner S17 <@U0JANE|jane>") and writes("owner S17 remove <@U0JANE>")
    assert not writes("owner S17") and not writes("calendar")
    assert writes("update S17 Responses received") and not writes("S17")
