"""What every listener needs, passed in once: the store, the clock and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.answer import answer
from bot.changes.deadlines import Asker
from bot.queries import Store
from bot.render import Reply
from bot.settings import Settings
from bot.slack.followups import FollowUps

if TYPE_CHECKING:
    from bot.slack.home import HomeRefresher
    from bot.slack.posting import OncePoster
    from store.dedupe import SeenWindow

__all__ = ["Deps", "Store"]


@dataclass(frozen=True)
class Deps:
    store: Store
    clock: Callable[[], datetime]
    settings: Settings
    home: HomeRefresher | None = None  # App Home of recent viewers; None: no App Home
    # What runs after the ack (bot.slack.followups), how posts land once, what was handled.
    followups: FollowUps = field(default_factory=FollowUps)
    poster: OncePoster | None = None  # None: one over the listener's own client
    seen: SeenWindow | None = None  # None: replayed requests are not recognised

    def today(self) -> date:
        return self.clock().astimezone(self.settings.tz).date()

    def answer(
        self,
        text: str,
        *,
        user: str | None = None,
        channel: str | None = None,
        name: str | None = None,
    ) -> Reply:
        """The same answer the console gives, for today in BRS_TZ; changes need `user`."""
        asker = Asker(user, self.settings, self.clock(), channel, name=name) if user else None
        return answer(self.store, text, today=self.today(), asker=asker)
