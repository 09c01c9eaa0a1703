"""`/brs help` and `/brs help <command>`: the grammar with examples, one command in detail."""

from __future__ import annotations

from bot import queries as q
from bot.render.blocks import Reply, actions, button, context, cut, fit, header, section

HELP = (
    ("/brs S17", "one activity: newest status lines, next steps, funding, deadlines"),
    ("/brs list", "all activities, one line each"),
    ("/brs section II", "the activities of a section; a word works too: /brs section scientific"),
    (
        "/brs funding",
        "funding overview; one group: /brs funding not-yet (partly, fully, mixed, none)",
    ),
    ("/brs deadlines", "overdue and upcoming deadlines; /brs deadlines 30 for the next 30 days"),
    ("/brs search questionnaire", "activities whose text matches, best first"),
    ("/brs history S17", "who changed what in S17, newest first"),
    ("/brs events", "the named events, their dates and the deadlines that follow each"),
    ("/brs update S17 Responses received", "editors: add a dated, signed status line"),
    ("/brs set S8 funding fully Donor X", "editors: not-yet, partly, fully or none, and a note"),
    ("/brs edit S17", "editors: a form with every field of S17"),
    ("/brs undo S17", "editors: take back the last change to S17; again for the one before"),
    ("/brs redo S17", "editors: put back what undo took back"),
    ("/brs deadline add S17 in 2 weeks Collect responses", "editors: a new deadline"),
    ("/brs deadline move S17-3 2030-01-31", "editors: a new date, same id"),
    ("/brs deadline done S17-2", "editors: done, no more reminders; /brs deadline remove S17-5"),
    ("/brs snooze S17-2 1w", "editors: no reminders for it for a week (1d, 3d, or a date)"),
    ("/brs event COP-2015 2015-05-04", "editors: create or move an event (its deadlines move too)"),
    ("/brs remind here", "editors: reminders go to this channel; /brs remind off stops them"),
    ("/brs owner S17 @jane", "editors: S17's owners may change it; /brs owner S17 says who"),
    ("/brs changes", "what changed since the last import; /brs changes since 2012-06-01"),
    (
        "/brs export md",
        "the report as a file here; also docx, csv, deadlines (a CSV), or ics for calendars",
    ),
    ("/brs calendar", "editors: the address to subscribe to the deadlines in a calendar"),
    ("/brs timeline", "a picture of the deadlines over time, in this channel"),
    ("/brs help deadline", "one command in detail"),
)

# One command in detail: its forms, then what to know. Topics are the command words.
TOPICS: dict[str, tuple[tuple[str, ...], str]] = {
    "card": (
        ("/brs S17", "/brs S17 all", "/brs S17 brief"),
        "The activity card, newest status lines first; older lines fold into a count. `all` "
        "shows every line, `brief` only the latest line, funding and the next deadline. "
        "`S 17`, `s17` and `17` work too.",
    ),
    "list": (("/brs list",), "Every activity on one line: code, title, funding, next deadline."),
    "section": (
        ("/brs section II", "/brs section scientific", "/brs section III funding not-yet"),
        "The activities of a section, by its number or a word of its title; add "
        "`funding <group>` for one funding group.",
    ),
    "funding": (
        ("/brs funding", "/brs funding not-yet", "/brs funding partly"),
        "The groups are not-yet, partly, fully, mixed and none, and unclear for funding words "
        "the import could not read. An activity whose requests are funded differently is "
        "listed under each of its groups and counted once.",
    ),
    "deadlines": (
        ("/brs deadlines", "/brs deadlines 30"),
        "Overdue and upcoming open deadlines, soonest first; a number keeps the next days.",
    ),
    "search": (
        ("/brs search questionnaire", "/brs search for focal points"),
        "Activities whose text has words starting with yours, best first. Nothing found: "
        "brs suggests a word of the report close to what you typed.",
    ),
    "history": (("/brs history S17",), "Who changed what and when, newest first."),
    "events": (("/brs events",), "The named events, their dates and the deadlines on each."),
    "changes": (
        ("/brs changes", "/brs changes since 2012-06-01"),
        "Per activity, what changed since the last import (or a date): status lines added, "
        "funding moved, deadlines added, moved or done, with who and when.",
    ),
    "update": (
        ("/brs update S17 Responses received from 40 parties", "/brs update S4.2 …"),
        "Editors: adds a dated, signed status line; `S4.2` picks the second request.",
    ),
    "set": (
        ("/brs set S8 funding fully Received from donor X", "/brs set S4.2 funding partly"),
        "Editors: the funding status (not-yet, partly, fully or none) and an optional note.",
    ),
    "edit": (("/brs edit S17",), "Editors: a form with every field; Slack only."),
    "undo": (
        ("/brs undo S17", "/brs undo COP-2013"),
        "Editors: takes back the newest change to an activity (or an event), one at a time: "
        "again takes back the one before. The reply says what is now in place.",
    ),
    "redo": (("/brs redo S17",), "Editors: puts back, one at a time, what undo took back."),
    "deadline": (
        (
            "/brs deadline add S17 in 2 weeks Collect responses",
            "/brs deadline add S17 90 days before COP-2013 Publish the report",
            "/brs deadline move S17-3 31 January 2030",
            "/brs deadline done S17-2",
            "/brs deadline remove S17-5",
        ),
        "Editors. Dates as people write them: 2030-08-31, 31 August 2030, tomorrow, next "
        "friday, in 2 weeks, end of September, or N days before an event. `move` keeps the "
        "id, its done mark and its reminders.",
    ),
    "snooze": (
        ("/brs snooze S17-2 1w", "/brs snooze S17-2 3d", "/brs snooze S17-2 next friday"),
        "Editors: no reminder for that deadline before the day given, as the reminder's "
        "Snooze button does.",
    ),
    "event": (
        ("/brs event COP-2015 2015-05-04", "/brs event remove COP-2015"),
        "Editors: creates an event or moves it, and every deadline that follows it. An event "
        "that deadlines use cannot be removed.",
    ),
    "remind": (
        ("/brs remind here", "/brs remind off", "/brs remind"),
        "Editors choose the channel that gets reminders; alone, it says where they go.",
    ),
    "owner": (
        ("/brs owner S17 @jane", "/brs owner S17 @jane @omar", "/brs owner S17 remove @jane"),
        "Editors name an activity's owners, its focal points; `/brs owner S17` (anyone) says "
        "who they are. Owners may update, set funding, edit, undo and redo their activity, "
        "and add, move, snooze, finish or remove its deadlines.",
    ),
    "calendar": (
        ("/brs calendar",),
        "Editors: the secret address of the deadlines calendar to subscribe to (Outlook, "
        "Google Calendar); others are told whom to ask.",
    ),
    "export": (
        (
            "/brs export md",
            "/brs export docx",
            "/brs export csv",
            "/brs export deadlines",
            "/brs export ics",
        ),
        "The report as a file; `deadlines` is a CSV of the deadlines and milestones.",
    ),
    "timeline": (("/brs timeline",), "A picture of the deadlines over time."),
}


def render_help(r: q.HelpResult) -> Reply:
    if r.topic:
        forms, what = TOPICS[r.topic]
        blocks: list[dict] = [
            header(f"brs help · {r.topic}"),
            section("\n".join(f"`{f}`" for f in forms)),
            section(what),
            context("`/brs help` lists every command."),
        ]
        text = f"brs help: {r.topic}"
    else:
        lines = "\n".join(f"`{form}` — {what}" for form, what in HELP)
        blocks = [
            header("brs · BRS synergies status report"),
            section(lines),
            context("Codes are case-insensitive: s17 works too."),
        ]
        text = "brs commands: /brs S17, list, section, funding, deadlines, search"
    blocks.append(actions(button("Share in channel", "share", r.command)))
    return Reply(fit(blocks), cut(text, 300))
