"""The Slack app manifest asks for what the listeners handle, and for no more scopes."""

from __future__ import annotations

import re
from pathlib import Path

MANIFEST = (Path(__file__).resolve().parent.parent / "manifest.yml").read_text(encoding="utf-8")


def _list_after(key: str) -> list[str]:
    """The `- item` lines under `key:` (the manifest is plain YAML; no parser needed here)."""
    block = re.search(rf"^(\s*){key}:\n((?:\1\s+- .*\n|\s*#.*\n)+)", MANIFEST, re.M)
    assert block, key
    return re.findall(r"^\s+- (\S+)", block.group(2), re.M)


def test_events_are_the_ones_the_app_listens_to() -> None:
    assert _list_after("bot_events") == ["app_mention", "app_home_opened", "message.im"]


def test_least_bot_scopes() -> None:
    assert _list_after("bot") == [
        "commands",
        "chat:write",
        "app_mentions:read",
        "im:history",  # also: a reminder's DM looked for after a lost answer
        "im:write",  # reminders by DM to owners and followers (conversations.open)
        "channels:history",  # reminders: find one posted before a crash, never post it twice
        "groups:history",
        "files:write",  # /brs export and /brs timeline upload files
    ]


def test_one_url_for_commands_events_and_interactivity() -> None:
    urls = re.findall(r"(?:url|request_url): (\S+)", MANIFEST)
    assert len(urls) == 3 and {u.rsplit("/", 2)[-2:] == ["slack", "events"] for u in urls} == {True}
    assert "command: /brs" in MANIFEST and "usage_hint:" in MANIFEST
    assert re.search(r"interactivity:\n\s+is_enabled: true", MANIFEST)
