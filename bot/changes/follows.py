"""`/brs follow S8`, `/brs unfollow S8`, `/brs following`, `/brs dm off|on`: one's own DMs.

Anyone may use them (each changes only the asker's subscription). A follow is written as two
store settings in one commit, `follows:<user>` (what they follow, for `/brs following`) and
`followers:<code>` (whom the scheduler DMs, without reading every user's setting), each with
the value it was computed from, so two people following at once never lose one another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.changes.editors import Asker
from bot.changes.edits import commit_fresh
from bot.changes.outcomes import Problem
from bot.grammar.follows import Command, DirectMessages, Follow, Following
from jobs import recipients as r

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store

MAX_FOLLOWS = 100  # every activity of a large report, not unbounded


@dataclass(frozen=True)
class Followed:
    code: str
    title: str
    on: bool  # now following (True) or not (False)
    changed: bool  # False: it already was so
    dm_off: bool  # they turned DMs off: following brings nothing until /brs dm on


@dataclass(frozen=True)
class FollowList:
    follows: tuple[tuple[str, str], ...]  # (code, title)
    owns: tuple[tuple[str, str], ...]
    dm_on: bool


@dataclass(frozen=True)
class DmSet:
    on: bool
    changed: bool | None  # None: only asked which


Outcome = Followed | FollowList | DmSet | Problem


def apply(store: Store, command: Command, asker: Asker) -> Outcome:
    user = asker.user
    if isinstance(command, Following):
        return following(store, user)
    if isinstance(command, DirectMessages):
        now = not r.dm_off(store, user)
        if command.on is None or command.on == now:
            return DmSet(now, None if command.on is None else False)
        store.set_setting(r.DM_OFF + user, None if command.on else True, user)
        return DmSet(command.on, True)
    return _follow(store, command, user)


def following(store: Store, user: str) -> FollowList:
    titles = {a.code: a.title for a in store.activities()}
    follows = tuple((c, titles[c]) for c in r.follows(store, user) if c in titles)
    owns = tuple((c, t) for c, t in titles.items() if user in r.owners(store, c))
    return FollowList(follows, owns, not r.dm_off(store, user))


def _follow(store: Store, command: Follow, user: str) -> Outcome:
    activity = store.activity(command.code)
    if activity is None:
        return Problem(f'No activity "{command.code}". Valid codes: {", ".join(store.codes())}.')
    code = activity.code
    mine, theirs = r.FOLLOWS + user, r.FOLLOWERS + code
    changed = [False]

    def compute() -> list[tuple[str, str, Any, Any]]:
        old_mine, old_theirs = store.setting(mine), store.setting(theirs)
        codes, users = list(r.follows(store, user)), list(r.followers(store, code))
        if command.on:
            codes += [code] if code not in codes else []
            users += [user] if user not in users else []
        else:
            codes = [c for c in codes if c != code]
            users = [u for u in users if u != user]
        changed[0] = codes != list(r.follows(store, user))
        if len(codes) > MAX_FOLLOWS:
            return []
        return [
            (f"setting:{mine}", "", old_mine, codes or None),
            (f"setting:{theirs}", "", old_theirs, users or None),
        ]

    if commit_fresh(store, user, compute) == [] and changed[0]:
        return Problem(f"You follow {MAX_FOLLOWS} activities already; unfollow some first.")
    return Followed(code, activity.title, command.on, changed[0], r.dm_off(store, user))
