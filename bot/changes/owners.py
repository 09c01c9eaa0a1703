"""Owners: `/brs owner S17 @jane` (editors), and who owns what.

An activity's owners (its focal points) may update it, set its funding, edit it, undo its
changes and manage its deadlines without being editors; everything else stays editors-only.
The rule itself is in bot.changes.editors.check, the one check every change goes through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.changes.editors import Asker, check
from bot.changes.outcomes import (
    AlreadyOwners,
    NotOwners,
    Outcome,
    OwnersChanged,
    OwnersShown,
    Problem,
)
from bot.grammar.owners import Owners
from bot.queries.owners import owners_of, setting_name
from bot.settings import Settings

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store

MAX_OWNERS = 20  # a focal point or a few, not a channel's worth


def may_change(
    store: Store, settings: Settings, user: str, code: str | None, *, console: bool = False
) -> bool:
    """Editors may change anything; an owner may change the activity `code` they own."""
    return check(settings, user, console=console, store=store, code=code) is None


def apply(store: Store, change: Owners, asker: Asker) -> Outcome:
    """Show an activity's owners (anyone), or name or remove them (editors only)."""
    activity = store.activity(change.code)
    if activity is None:
        return Problem(f'No activity "{change.code}". Valid codes: {", ".join(store.codes())}.')
    code = activity.code
    before = owners_of(store, code)
    if not change.add and not change.remove:
        return OwnersShown(code, before)
    # Naming owners is the editors' alone: no activity given, so owners are not asked.
    if refused := check(asker.settings, asker.user, console=asker.console):
        return refused
    if change.remove:
        missing = tuple(u for u in change.remove if u not in before)
        if missing:
            return NotOwners(code, missing, before)
        after = tuple(u for u in before if u not in change.remove)
    else:
        after = (*before, *(u for u in change.add if u not in before))
        if len(after) > MAX_OWNERS:
            return Problem(f"{code} would have {len(after)} owners; at most {MAX_OWNERS}.")
    if before == after:
        return AlreadyOwners(code, tuple(change.add))
    store.set_setting(setting_name(code), list(after), asker.user)
    return OwnersChanged(code, after)
