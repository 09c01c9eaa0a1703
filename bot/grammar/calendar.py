"""The grammar of `/brs calendar`: the address of the calendar to subscribe to."""

from __future__ import annotations

from dataclasses import dataclass

from bot.grammar.words import CommandError

VERBS = frozenset({"calendar"})


@dataclass(frozen=True)
class CalendarRequest:
    @property
    def text(self) -> str:
        return "calendar"


def parse(verb: str, rest: list[str]) -> CalendarRequest:
    if rest:
        raise CommandError('"calendar" takes nothing more, like: /brs calendar')
    return CalendarRequest()
