"""Who owns an activity: the focal points named with `/brs owner`, kept as store settings.

One setting per activity ("owners:S17" -> ["U012AB3CD", …]), so changing one activity's owners
never races with another's, and each change is in the history as `setting:owners:S17`.
"""

from __future__ import annotations

from typing import Any, Protocol

PREFIX = "owners:"


class SettingStore(Protocol):
    def setting(self, name: str, default: Any = None) -> Any: ...


def setting_name(code: str) -> str:
    return f"{PREFIX}{code.upper()}"


def owners_of(store: SettingStore, code: str) -> tuple[str, ...]:
    """The owners' Slack user IDs, in the order they were named."""
    value = store.setting(setting_name(code))
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()
