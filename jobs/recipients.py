"""Who gets a reminder by direct message: its activity's owners and followers, less opt-outs.

All of it lives in store settings (so both store backends keep it, in the history):
`owners:S17` -> [user, …] (named with `/brs owner`), `followers:S17` -> [user, …] and
`follows:U123` -> [code, …] (`/brs follow`, written together), `dm_off:U123` -> True
(`/brs dm off`). jobs/ reads them; bot/ writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

OWNERS = "owners:"
FOLLOWERS = "followers:"
FOLLOWS = "follows:"
DM_OFF = "dm_off:"
DM_MARK = "|dm:"  # a DM's ledger key: "S17-2|7|dm:U123" beside the channel's "S17-2|7"


class SettingStore(Protocol):
    def setting(self, name: str, default: Any = None) -> Any: ...


def _users(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def owners(store: SettingStore, code: str) -> tuple[str, ...]:
    return _users(store.setting(OWNERS + code.upper()))


def followers(store: SettingStore, code: str) -> tuple[str, ...]:
    return _users(store.setting(FOLLOWERS + code.upper()))


def follows(store: SettingStore, user: str) -> tuple[str, ...]:
    """The codes `user` follows, in the order they were followed."""
    return _users(store.setting(FOLLOWS + user))


def dm_off(store: SettingStore, user: str) -> bool:
    return store.setting(DM_OFF + user) is True


def dm_users(store: SettingStore, code: str) -> tuple[str, ...]:
    """Who gets `code`'s reminders by DM: owners, then followers, once each, not opted out."""
    seen: dict[str, None] = dict.fromkeys((*owners(store, code), *followers(store, code)))
    return tuple(u for u in seen if not dm_off(store, u))


def digest_users(store: SettingStore, codes: Iterable[str]) -> tuple[str, ...]:
    """Everyone who owns or follows one of `codes` and takes DMs: each gets their digest part."""
    seen: dict[str, None] = {}
    for code in codes:
        seen.update(dict.fromkeys(dm_users(store, code)))
    return tuple(seen)


def dm_key(key: str, user: str) -> str:
    return f"{key}{DM_MARK}{user}"


def recipient(key: str) -> str | None:
    """The DM's user in a ledger key, None for the channel's."""
    _, mark, user = key.partition(DM_MARK)
    return user if mark else None
