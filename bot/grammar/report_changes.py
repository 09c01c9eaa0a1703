"""`/brs changes` and `/brs changes since 2012-06-01`: the grammar value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.grammar.words import CommandError

VERB = "changes"
FORM = "/brs changes, or /brs changes since 2012-06-01"


@dataclass(frozen=True)
class Changes:
    since: date | None = None  # None: from the last import on

    @property
    def text(self) -> str:
        return f"changes since {self.since.isoformat()}" if self.since else "changes"


def parse(rest: list[str]) -> Changes:
    """Read what follows "changes"; CommandError says what was wrong and the right form."""
    if not rest:
        return Changes()
    if len(rest) == 2 and rest[0].lower() == "since":
        try:
            return Changes(date.fromisoformat(rest[1]))
        except ValueError:
            pass
    raise CommandError(f'"changes" takes nothing or "since" and a date, like: {FORM}')
