"""`/brs calendar`: editors get the secret address of the calendar to subscribe to.

The token is made (once, kept in the store's settings) the first time it is needed, unless
BRS_CALENDAR_TOKEN sets it; others are told whom to ask, since the address is the only key.
"""

from __future__ import annotations

from typing import Any

from bot.changes.deadlines import Asker
from bot.exports.feed import calendar_path, calendar_url, ensure_ids
from bot.render import Reply, cut

PUBLIC_URL_FORM = "BRS_PUBLIC_URL=https://brs.example.org"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def apply(store: Any, asker: Asker) -> Reply:
    """The calendar's URL for an editor; for anyone else, whom to ask."""
    settings = asker.settings
    if not asker.editor:
        editors = sorted(settings.editors or ())
        who = ": " + ", ".join(f"<@{e}>" for e in editors) if editors else ""
        text = (
            "The calendar's address is a secret shared by the editors; "
            f"ask one of them for it{who}."
        )
        return Reply([_section(text)], cut(text, 300))
    if settings.socket_mode:
        text = (
            "The calendar is served over HTTP, and brs runs in Socket Mode (SLACK_APP_TOKEN), "
            "which has no web server: run `brs serve` in HTTP mode to offer it. "
            "`/brs export ics` uploads the same calendar as a file meanwhile."
        )
        return Reply([_section(text)], cut(text, 300))
    _, token = ensure_ids(store, settings)
    url = calendar_url(settings, token)
    if url is None:
        text = (
            f"`brs serve` (HTTP mode) serves the calendar at `{calendar_path(token)}` on the "
            f"address it is reached at. Set `{PUBLIC_URL_FORM}` to that address and restart, "
            "and this command shows the whole URL to subscribe to."
        )
        return Reply([_section(text)], cut(text, 300))
    text = f"Subscribe to the open deadlines in Outlook or Google Calendar (add from URL):\n{url}"
    note = (
        "Anyone with this address can read the deadlines: share it inside the secretariat only. "
        "Calendars fetch it again every hour or so; moved dates update, done ones disappear."
    )
    return Reply([_section(text), _context(note)], cut(text, 300))
