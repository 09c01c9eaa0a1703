"""Owners and the calendar's address, in words (outcomes of bot.changes.owners and .calendar)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.changes import outcomes as o
from bot.render.blocks import Reply, context, cut, fit, section

PUBLIC_URL_FORM = "BRS_PUBLIC_URL=https://brs.example.org"


def _people(users: tuple[str, ...]) -> str:
    return ", ".join(f"<@{u}>" for u in users)


def _said(text: str, note: str = "", plain: str | None = None) -> Reply:
    blocks = [section(text)]
    if note:
        blocks.append(context(note))
    return Reply(fit(blocks), cut(plain or text, 300))


def _shown(r: o.OwnersShown) -> Reply:
    if not r.owners:
        return _said(
            f"*{r.code}* has no owners yet. Editors name them: `/brs owner {r.code} @jane`."
        )
    return _said(f"*{r.code}* is owned by {_people(r.owners)}.")


def _changed(r: o.OwnersChanged) -> Reply:
    now = f"owned by {_people(r.owners)}" if r.owners else "without owners"
    note = (
        "Owners may update it, set its funding, edit it, undo and manage its deadlines."
        if r.owners
        else ""
    )
    return _said(f":white_check_mark: *{r.code}* is now {now}.", note, f"{r.code} is now {now}.")


def _already(r: o.AlreadyOwners) -> Reply:
    verb = "owns" if len(r.added) == 1 else "own"
    return _said(f"{_people(r.added)} already {verb} *{r.code}*.")


def _not_owners(r: o.NotOwners) -> Reply:
    verb = "is" if len(r.missing) == 1 else "are"
    others = _people(r.owners) or "none"
    return _said(f"{_people(r.missing)} {verb} not an owner of *{r.code}*; its owners: {others}.")


def _address(r: o.CalendarAddress) -> Reply:
    if r.url is None:
        return _said(
            f"`brs serve` (HTTP mode) serves the calendar at `{r.path}` on the "
            f"address it is reached at. Set `{PUBLIC_URL_FORM}` to that address and restart, "
            "and this command shows the whole URL to subscribe to."
        )
    text = f"Subscribe to the open deadlines in Outlook or Google Calendar (add from URL):\n{r.url}"
    note = (
        "Anyone with this address can read the deadlines: share it inside the secretariat only. "
        "Calendars fetch it again every hour or so; moved dates update, done ones disappear."
    )
    return _said(text, note)


def _no_feed(r: o.NoCalendarFeed) -> Reply:
    return _said(
        "The calendar is served over HTTP, and brs runs in Socket Mode (SLACK_APP_TOKEN), "
        "which has no web server: run `brs serve` in HTTP mode to offer it. "
        "`/brs export ics` uploads the same calendar as a file meanwhile."
    )


def _secret(r: o.CalendarSecret) -> Reply:
    who = ": " + _people(r.editors) if r.editors else ""
    return _said(
        f"The calendar's address is a secret shared by the editors; ask one of them for it{who}."
    )


RENDERERS: dict[type, Callable[[Any], Reply]] = {
    o.OwnersShown: _shown,
    o.OwnersChanged: _changed,
    o.AlreadyOwners: _already,
    o.NotOwners: _not_owners,
    o.CalendarAddress: _address,
    o.NoCalendarFeed: _no_feed,
    o.CalendarSecret: _secret,
}
