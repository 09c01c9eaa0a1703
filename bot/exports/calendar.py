"""The deadlines as an iCalendar, built with the icalendar library: the subscribed calendar
(`GET /calendar/<token>.ics`) and the downloaded file are the same document.

Each deadline is an all-day event whose UID holds its id and the installation's id
("S17-2@3f9c0a1b2c3d4e5f.brs"), so a newer copy updates the events a calendar already has
instead of adding others, and two installations' S17-2 never clash. SEQUENCE and
LAST-MODIFIED come from the history (bot.exports.revisions); a deadline done or removed is
published as cancelled for CANCELLED_FOR, so subscribed calendars take it out, then dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from bot.exports.revisions import OPEN, Revision, by_id, from_store
from store.model import Activity, Deadline

PRODID = "-//BRS conventions secretariat//brs synergies status//EN"
UID_DOMAIN = "brs"
CALENDAR_NAME = "BRS synergies deadlines"
CANCELLED_FOR = timedelta(days=30)
REFRESH = timedelta(hours=1)  # how often subscribers are asked to fetch it again
TITLE_MAX = 60


def uid(deadline: Deadline, installation: str) -> str:
    return f"{deadline.id}@{installation}.{UID_DOMAIN}"


def _words(text: str) -> str:
    return " ".join(text.split())


def summary(deadline: Deadline, activity: Activity | None = None) -> str:
    """The id, the activity's title and what is due: "S17-2 Review arrangements: Collect…"."""
    what = _words(deadline.due or deadline.sentence)
    what = what[:1].upper() + what[1:]
    if activity is None:
        return f"{deadline.id} {what}"
    title = _words(activity.title)
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    return f"{deadline.id} {title}: {what}"


def _description(deadline: Deadline, activity: Activity | None) -> str:
    lines = [_words(deadline.sentence)]
    if activity is not None:
        lines.append(f"{activity.code} {_words(activity.title)} (section {activity.section})")
    if deadline.event:
        lines.append(f"Date: {deadline.rule}.")
    return "\n".join(lines)


def _stamp(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(microsecond=0)


def _event(
    dl: Deadline,
    on: date,
    activity: Activity | None,
    installation: str,
    stamp: datetime,
    revision: Revision | None,
) -> Event:
    # A range ("on 1-3 October 2012") spans its days; DTEND of an all-day event is exclusive.
    last = dl.end if dl.end and dl.event is None and dl.end > on else on
    event = Event()
    event.add("uid", uid(dl, installation))
    event.add("dtstamp", stamp)
    event.add("dtstart", on)
    event.add("dtend", last + timedelta(days=1))
    event.add("summary", summary(dl, activity))
    event.add("description", _description(dl, activity))
    event.add("categories", [dl.activity])
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
    event.add("sequence", revision.sequence if revision else 0)
    if revision is not None:
        event.add("created", _stamp(revision.created))
        event.add("last-modified", _stamp(revision.modified))
    open_ = revision.state == OPEN if revision else dl.is_open
    event.add("status", "CONFIRMED" if open_ else "CANCELLED")
    return event


def render_ics(
    deadlines: Iterable[Deadline],
    events: Mapping[str, date],
    activities: Iterable[Activity],
    *,
    now: datetime,
    installation: str,
    revisions: Mapping[str, Revision] | None = None,
    title: str = CALENDAR_NAME,
) -> bytes:
    """One VEVENT per open deadline that has a date, and per deadline closed (done or removed)
    less than CANCELLED_FOR ago that was published before; `now` is every event's DTSTAMP."""
    by_code = {a.code.casefold(): a for a in activities}
    known = by_id(revisions or {})
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")  # Outlook's name for the same
    stamp = _stamp(now)
    dates = dict(events)
    listed: set[str] = set()
    for dl in deadlines:
        on = dl.resolved(dates)
        if dl.kind != "deadline" or on is None:
            continue
        revision = known.get(dl.id.casefold())
        if not dl.is_open and not _cancelled_now(revision, now):
            continue
        listed.add(dl.id.casefold())
        activity = by_code.get(dl.activity.casefold())
        cal.add_component(_event(dl, on, activity, installation, stamp, revision))
    for key, revision in sorted(known.items()):
        # Removed deadlines are no longer in the store: only the history remembers them.
        if key in listed or revision.on is None or not _cancelled_now(revision, now):
            continue
        dl = revision.deadline
        activity = by_code.get(dl.activity.casefold())
        cal.add_component(_event(dl, revision.on, activity, installation, stamp, revision))
    return cal.to_ical()


def _cancelled_now(revision: Revision | None, now: datetime) -> bool:
    """Closed, published before, and not so long ago that every calendar has caught up."""
    if revision is None or revision.state == OPEN or not revision.published:
        return False
    return now - revision.modified < CANCELLED_FOR


def store_ics(store: Any, installation: str, *, now: datetime) -> bytes:
    """The store's calendar as of `now`: what the feed serves and `brs export --format ics`."""
    return render_ics(
        store.deadlines(),
        store.events(),
        store.activities(),
        now=now,
        installation=installation,
        revisions=from_store(store),
    )
