"""What every listener needs, passed in once: the store, the clock and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.answer import Answers
from bot.changes.editors import Asker
from bot.render import Reply
from bot.settings import Settings
from bot.slack.followups import FollowUps

if TYPE_CHECKING:
    from bot.slack.home import HomeRefresher
    from bot.slack.posting import OncePoster
    from store.dedupe import SeenWindow
    from store.repository import Store  # the contract is the store itself; it loads TinyDB

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
    answers: Answers = field(init=False)  # the app's read-answer cache, on this store

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", Answers(self.store))

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
        return self.answers.answer(text, today=self.today(), asker=asker)
