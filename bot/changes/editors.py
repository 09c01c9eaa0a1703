"""Who asks for a change, and the one check of who may change what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.changes.outcomes import Refused
from bot.settings import Settings

HOW_EDITORS_ARE_CHOSEN = (
    "Editors are the Slack user IDs listed in BRS_EDITORS (comma-separated, like "
    "U012AB3CD,U045EF6GH) where brs runs; a change to it takes effect when brs restarts."
)


@dataclass(frozen=True)
class Asker:
    """Who typed the command, where, and when: what a change needs beyond the store."""

    user: str
    settings: Settings
    now: datetime
    channel: str | None = None  # the conversation the command came from
    console: bool = False
    name: str | None = None  # how status lines are signed (Slack's user_name); else the user ID

    @property
    def editor(self) -> bool:
        return self.settings.is_editor(self.user, console=self.console)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.settings.tz).date()


def refusal(settings: Settings) -> Refused:
    """Why a non-editor cannot change things (mrkdwn), and how editors are chosen."""
    if settings.editors is None:
        why = (
            "Nobody can change brs from Slack yet: set BRS_EDITORS to the Slack user IDs of the "
            "editors, separated by commas (like U012AB3CD,U045EF6GH), and restart brs."
        )
    elif not settings.editors:
        why = "BRS_EDITORS names nobody, so nobody can change brs from Slack."
    else:
        names = ", ".join(f"<@{e}>" for e in sorted(settings.editors))
        why = f"Only the editors can change brs: {names}. Ask one of them (or to be added to them)."
    return Refused(why, HOW_EDITORS_ARE_CHOSEN)


def check(settings: Settings, user: str, *, console: bool = False) -> Refused | None:
    """None if `user` may change brs; else the refusal to show them."""
    return None if settings.is_editor(user, console=console) else refusal(settings)
