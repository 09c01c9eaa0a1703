"""Owners: `/brs owner S17 @jane` (editors), and the one rule of who may change an activity.

An activity's owners (its focal points) may update it, set its funding, edit it, undo its
changes and manage its deadlines without being editors; everything else stays editors-only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.grammar.deadlines import AddDeadline, FinishDeadline, RemoveDeadline
from bot.grammar.edits import Edit, SetFunding, Undo, Update
from bot.grammar.owners import Owners
from bot.queries.owners import owners_of, setting_name
from bot.render import Reply, cut, escape_mrkdwn
from bot.settings import Settings

MAX_OWNERS = 20  # a focal point or a few, not a channel's worth


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _reply(text: str) -> Reply:
    return Reply([_section(text)], cut(text, 300))


def _people(users: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"<@{u}>" for u in users)


def code_of(store: Any, change: Any) -> str | None:
    """The activity a change is about, if owners may make it; None for editors-only ones."""
    if isinstance(change, (Update, SetFunding, Edit, Undo, AddDeadline)):
        return change.code
    if isinstance(change, (FinishDeadline, RemoveDeadline)):
        dl = store.deadline(change.id)
        return dl.activity if dl is not None else change.id.rpartition("-")[0] or None
    return None


def may_change(
    store: Any, settings: Settings, user: str, code: str | None, *, console: bool = False
) -> bool:
    """Editors may change anything; an owner may change the activity `code` they own."""
    if settings.is_editor(user, console=console):
        return True
    return code is not None and user in owners_of(store, code)


def owner_refusal(store: Any, code: str, editors: str) -> str:
    """Why someone who is neither an editor nor an owner of `code` cannot change it;
    `editors` is the editors' refusal (bot.changes.deadlines.refusal), said the same everywhere."""
    owners = owners_of(store, code)
    if not owners:
        return editors
    return f"{editors} {escape_mrkdwn(code.upper())}'s owners can change it too: {_people(owners)}."


def apply(store: Any, change: Owners, asker: Any, *, refusal: Callable[[Settings], str]) -> Reply:
    """Show an activity's owners (anyone), or name or remove them (editors only; `refusal`
    says why not to anyone else)."""
    activity = store.activity(change.code)
    if activity is None:
        codes = escape_mrkdwn(", ".join(store.codes()))
        return _reply(f'No activity "{escape_mrkdwn(change.code)}". Valid codes: {codes}.')
    code = activity.code
    before = owners_of(store, code)
    if not change.add and not change.remove:
        if not before:
            return _reply(
                f"*{code}* has no owners yet. Editors name them: `/brs owner {code} @jane`."
            )
        return _reply(f"*{code}* is owned by {_people(before)}.")
    if not asker.editor:
        return _reply(refusal(asker.settings))
    if change.remove:
        missing = [u for u in change.remove if u not in before]
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            others = _people(before) or "none"
            return _reply(
                f"{_people(missing)} {verb} not an owner of *{code}*; its owners: {others}."
            )
        after = [u for u in before if u not in change.remove]
    else:
        after = [*before, *(u for u in change.add if u not in before)]
        if len(after) > MAX_OWNERS:
            return _reply(f"*{code}* would have {len(after)} owners; at most {MAX_OWNERS}.")
    if list(before) == after:
        return _reply(
            f"{_people(change.add)} already own{'s' if len(change.add) == 1 else ''} *{code}*."
        )
    store.set_setting(setting_name(code), after, asker.user)
    now = f"owned by {_people(after)}" if after else "without owners"
    note = (
        "Owners may update it, set its funding, edit it, undo and manage its deadlines."
        if after
        else ""
    )
    blocks = [_section(f":white_check_mark: *{code}* is now {now}.")]
    if note:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    return Reply(blocks, cut(f"{code} is now {now}.", 300))
