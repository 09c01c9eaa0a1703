"""The calendar people subscribe to: its secret URL, the installation's id, and the feed.

Both ids are made once with `secrets` and kept in the store's settings (so in its history),
unless BRS_CALENDAR_TOKEN chooses the token; a wrong token is answered like an unknown page.
"""

from __future__ import annotations

import contextlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from store.storage import ChangedMeanwhile, StoreError

INSTALLATION_SETTING = "installation_id"
TOKEN_SETTING = "calendar_token"
CALENDAR_PATH = "/calendar/"
SUFFIX = ".ics"
SYSTEM = "brs"  # who the history says made the ids


class FeedSettings(Protocol):
    @property
    def calendar_token(self) -> str | None: ...
    @property
    def public_url(self) -> str | None: ...


def installation_id(store: Any) -> str | None:
    """The id every calendar UID of this installation carries; None until ensure_ids ran."""
    value = store.setting(INSTALLATION_SETTING)
    return value if isinstance(value, str) and value else None


def calendar_token(store: Any, settings: FeedSettings) -> str | None:
    """BRS_CALENDAR_TOKEN, else the token made for this store; None before ensure_ids."""
    if settings.calendar_token:
        return settings.calendar_token
    value = store.setting(TOKEN_SETTING)
    return value if isinstance(value, str) and value else None


def ensure_installation(store: Any) -> str:
    """The installation id, made now if this store has none yet."""
    made = installation_id(store)
    if made is None:
        made = _made_once(store, INSTALLATION_SETTING, secrets.token_hex(8))
    return made


def ensure_ids(store: Any, settings: FeedSettings) -> tuple[str, str]:
    """The installation id and the calendar token, made now if this store has none yet."""
    made = ensure_installation(store)
    token = calendar_token(store, settings)
    if token is None:
        token = _made_once(store, TOKEN_SETTING, secrets.token_urlsafe(24))
    return made, token


def _made_once(store: Any, name: str, value: str) -> str:
    """`value` kept as setting `name`, unless another process sharing the store (PostgreSQL)
    made one first: then that one, so every process uses the same."""
    with contextlib.suppress(ChangedMeanwhile):
        store.set_setting(name, value, SYSTEM)
    found = store.setting(name)
    return found if isinstance(found, str) and found else value


def calendar_path(token: str) -> str:
    return f"{CALENDAR_PATH}{token}{SUFFIX}"


def calendar_url(settings: FeedSettings, token: str) -> str | None:
    """The URL to subscribe to; None without BRS_PUBLIC_URL (brs cannot know its address)."""
    if not settings.public_url:
        return None
    return settings.public_url.rstrip("/") + calendar_path(token)


def export_ics(store: Any, *, now: datetime) -> bytes:
    """The downloadable calendar: the same document the feed serves."""
    installation = installation_id(store)
    if installation is None:
        if getattr(store, "readonly", False):
            raise StoreError(
                f"{store.path} has no installation id for calendar UIDs yet; "
                "stop the brs process holding it and export again."
            )
        installation = ensure_installation(store)
    from bot.exports.calendar import store_ics  # icalendar loads only when a calendar is made

    return store_ics(store, installation, now=now)


def calendar_feed(
    store: Any, settings: FeedSettings, clock: Callable[[], datetime]
) -> Callable[[str], bytes | None]:
    """`feed(path)`: the calendar for "/calendar/<token>.ics", None for any other path."""

    def feed(path: str) -> bytes | None:
        if not (path.startswith(CALENDAR_PATH) and path.endswith(SUFFIX)):
            return None
        given = path[len(CALENDAR_PATH) : -len(SUFFIX)]
        token = calendar_token(store, settings)
        installation = installation_id(store)
        if token is None or installation is None:
            return None
        # Compared in constant time: the token is the only thing guarding the calendar.
        if not hmac.compare_digest(given.encode(), token.encode()):
            return None
        from bot.exports.calendar import store_ics

        return store_ics(store, installation, now=clock())

    return feed
