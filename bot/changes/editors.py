"""Who asks for a change, and the one check of who may change what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot.changes.outcomes import Refused
from bot.grammar.deadlines import AddDeadline, FinishDeadline, MoveDeadline, RemoveDeadline, Snooze
from bot.grammar.edits import Edit, Redo, SetFunding, Undo, Update
from bot.queries.owners import owners_of
from bot.settings import Settings

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store

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


def refusal(settings: Settings, store: Store | None = None, code: str | None = None) -> Refused:
    """Why a non-editor cannot change things (mrkdwn), and how editors are chosen; with the
    activity `code` the change is about, its owners are named too (they may change it)."""
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
    if store is not None and code and (owners := owners_of(store, code)):
        people = ", ".join(f"<@{u}>" for u in owners)
        why += f" {escape_mrkdwn(code.upper())}'s owners can change it too: {people}."
    return Refused(why, HOW_EDITORS_ARE_CHOSEN)


def activity_of(store: Store, change: Any) -> str | None:
    """The activity a change is about, if its owners may make it; None for editors-only ones
    (events move every activity's deadlines, reminders are the secretariat's)."""
    if isinstance(change, (Update, SetFunding, Edit, Undo, Redo, AddDeadline)):
        return change.code
    if isinstance(change, (FinishDeadline, RemoveDeadline, MoveDeadline, Snooze)):
        dl = store.deadline(change.id)
        return dl.activity if dl is not None else change.id.rpartition("-")[0] or None
    return None


def check(
    settings: Settings,
    user: str,
    *,
    console: bool = False,
    store: Store | None = None,
    code: str | None = None,
) -> Refused | None:
    """None if `user` may make a change (about activity `code`, read from `store`); else the
    refusal to show them. The one rule: editors may change anything, an activity's owners
    (`/brs owner S17 @jane`) may change that activity and its deadlines."""
    if settings.is_editor(user, console=console):
        return None
    if store is not None and code and user in owners_of(store, code):
        return None
    return refusal(settings, store, code)


def escape_mrkdwn(text: str) -> str:
    """&, < and > as Slack's mrkdwn needs them (bot.render.blocks does the same above us)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
