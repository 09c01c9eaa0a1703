"""The open deadlines as an iCalendar file, built with the icalendar library.

Each deadline is an all-day event whose UID is its id ("S17-2@brs"), so importing a newer
export into a calendar updates the events already there instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from store.model import Activity, Deadline

PRODID = "-//BRS conventions secretariat//brs synergies status//EN"
UID_DOMAIN = "brs"
CALENDAR_NAME = "BRS synergies deadlines"


def uid(deadline: Deadline) -> str:
    return f"{deadline.id}@{UID_DOMAIN}"


def summary(deadline: Deadline) -> str:
    what = " ".join((deadline.due or deadline.sentence).split())
    return f"{deadline.id} {what[:1].upper()}{what[1:]}"


def _description(deadline: Deadline, activity: Activity | None) -> str:
    lines = [" ".join(deadline.sentence.split())]
    if activity is not None:
        lines.append(f"{activity.code} {activity.title} (section {activity.section})")
    if deadline.event:
        lines.append(f"Date: {deadline.rule}.")
    return "\n".join(lines)


def render_ics(
    deadlines: Iterable[Deadline],
    events: Mapping[str, date],
    activities: Iterable[Activity],
    *,
    now: datetime,
    title: str = CALENDAR_NAME,
) -> bytes:
    """One VEVENT per open deadline that has a date; `now` is the DTSTAMP every event carries."""
    by_code = {a.code.casefold(): a for a in activities}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    dates = dict(events)
    for dl in deadlines:
        on = dl.resolved(dates)
        if not dl.is_open or on is None:
            continue
        # A range ("on 1-3 October 2012") spans its days; DTEND of an all-day event is exclusive.
        last = dl.end if dl.end and dl.event is None and dl.end > on else on
        event = Event()
        event.add("uid", uid(dl))
        event.add("dtstamp", stamp)
        event.add("dtstart", on)
        event.add("dtend", last + timedelta(days=1))
        event.add("summary", summary(dl))
        event.add("description", _description(dl, by_code.get(dl.activity.casefold())))
        event.add("categories", [dl.activity])
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
        cal.add_component(event)
    return cal.to_ical()
