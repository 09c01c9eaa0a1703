"""`/brs calendar`: editors get the secret address of the calendar to subscribe to.

The token is made (once, kept in the store's settings) the first time it is needed, unless
BRS_CALENDAR_TOKEN sets it; others are told whom to ask, since the address is the only key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.changes.editors import Asker
from bot.changes.outcomes import CalendarAddress, CalendarSecret, NoCalendarFeed, Outcome
from bot.exports.feed import calendar_path, calendar_url, ensure_ids

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


def apply(store: Store, asker: Asker) -> Outcome:
    """The calendar's URL for an editor; for anyone else, whom to ask."""
    settings = asker.settings
    if not asker.editor:
        return CalendarSecret(tuple(sorted(settings.editors or ())))
    if settings.socket_mode:
        return NoCalendarFeed()
    _, token = ensure_ids(store, settings)
    return CalendarAddress(calendar_path(token), calendar_url(settings, token))
