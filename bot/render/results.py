"""One renderer per query result, and `render()`: any result or change outcome to a Reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import queries as q
from bot.changes.outcomes import Outcome
from bot.render import outcomes
from bot.render.blocks import (
    FULL_TEXT,
    SECTION_MAX,
    Reply,
    actions,
    button,
    context,
    cut,
    divider,
    escape_mrkdwn,
    fields_section,
    fit,
    header,
    section,
)
from bot.render.format import badge, count, due_line, due_when, fmt_when, fmt_who, says_more
from bot.render.history import history_lines, summary
from bot.render.report_changes import ReportChanges, render_changes
from store.model import Row


def _bullets(lines: tuple[str, ...]) -> str:
    return "\n".join(f"• {escape_mrkdwn(x)}" for x in lines)


def _reply(blocks: list[dict], text: str, command: str | None, more: str = FULL_TEXT) -> Reply:
    if command is not None:
        blocks.append(actions(button("Share in channel", "share", command)))
    return Reply(fit(blocks, more), cut(text, 300))


def _labelled(label: str, lines: tuple[str, ...], empty: str = "") -> str:
    return f"*{label}*\n{_bullets(lines) if lines else empty}" if lines or empty else ""


def _row_blocks(row: Row, n: int, of: int) -> list[dict]:
    f = row.funding
    needed = f.needed.capitalize()
    if says_more(f.needed_words, needed):
        needed += f" — {escape_mrkdwn(f.needed_words)}"
    status = badge(f.status)
    if says_more(f.words, status):
        status += f"\n{escape_mrkdwn(f.words)}"
    # One section for the row's text: fewer blocks render faster and read the same.
    parts = [
        f"*Request {n} of {of}*" if of > 1 else "",
        _labelled("Decision requests", row.requests),
        _labelled("Status of implementation", row.status),
        _labelled("Next steps", row.next_steps, "_none listed_"),
    ]
    blocks: list[dict] = [divider()] if of > 1 else []
    blocks += [
        section("\n\n".join(p for p in parts if p)),
        fields_section(f"*Funding needed*\n{needed}", f"*Funding status*\n{status}"),
    ]
    if row.implications:
        blocks.append(section(_labelled("Implications if funding is missing", row.implications)))
    return blocks


def _card(r: q.ActivityCard) -> Reply:
    a, ch = r.activity, r.last_change
    changed = f"{fmt_who(ch.user)}, {fmt_when(ch.at)}" if ch else "import"
    where = f"Section {escape_mrkdwn(a.section)} {escape_mrkdwn(a.section_title)}"
    about = f"{where} · {badge(a.funding_status)} · last change: {changed}"
    if r.owners:
        about += " · owners: " + ", ".join(fmt_who(u) for u in r.owners)
    blocks: list[dict] = [
        header(f"{a.code} · {a.title}"),
        context(about),
    ]
    for n, row in enumerate(a.rows, 1):
        blocks += _row_blocks(row, n, len(a.rows))
    lines = "\n".join(due_line(d) for d in r.deadlines) or "none found in the report"
    blocks += [divider(), section(f"*Deadlines*\n{lines}")]
    return _reply(blocks, escape_mrkdwn(f"{a.code} · {a.title}"), r.command)


def _item_line(i: q.ListItem) -> str:
    line = f"• *{escape_mrkdwn(i.code)}* {escape_mrkdwn(i.title)} — _{badge(i.funding)}_"
    d = i.next_due
    if d is not None:
        line += f" — next: {due_when(d)}" if d.on else " — next: date not set"
    if i.owners:
        line += " — " + ", ".join(fmt_who(u) for u in i.owners)
    return line


def _list(r: q.ActivityList) -> Reply:
    groups: dict[tuple[str, str], list[str]] = {}
    for i in r.items:
        groups.setdefault((i.section, i.section_title), []).append(_item_line(i))
    several = len(groups) > 1
    blocks: list[dict] = [header(r.heading)]
    for (number, title), lines in groups.items():
        label = f"*{escape_mrkdwn(number)} {escape_mrkdwn(title)}*\n" if several else ""
        blocks.append(section(label + "\n".join(lines)))
    if not r.items:
        blocks.append(section("No activities here."))
    text = f"{r.heading}: {count(len(r.items), 'activity', 'activities')}"
    return _reply(blocks, escape_mrkdwn(text), r.command)


def _entry_line(e: q.FundingEntry, status: str) -> str:
    line = f"• *{escape_mrkdwn(e.code)}* {escape_mrkdwn(e.title)}"
    if e.requests:
        many = len(e.requests) > 1
        line += f" (request{'s' if many else ''} {', '.join(map(str, e.requests))})"
    words, size = [], 0
    for w in e.words:  # stop at what the line can show: an activity may have many rows
        if size > 400:
            break
        if says_more(w, badge(status)):
            words.append(w)
            size += len(w)
    return line + (f" — {escape_mrkdwn(cut('; '.join(words), 400))}" if words else "")


def _funding(r: q.FundingOverview) -> Reply:
    single = len(r.groups) == 1
    title = badge(r.groups[0].status).capitalize() if single else "Funding overview"
    blocks: list[dict] = [header(title)]
    if not single:
        blocks.append(section(" · ".join(f"*{n}* {badge(s)}" for s, n in r.counts)))
    for g in r.groups:
        if not g.entries:
            blocks += [section(f"No activities under {badge(g.status)}.")] if single else []
            continue
        lines = "\n".join(_entry_line(e, g.status) for e in g.entries)
        label = f"*{badge(g.status).capitalize()}* ({len(g.entries)})"
        blocks.append(section(f"{label}\n{lines}"))
    counts = ", ".join(f"{n} {badge(s)}" for s, n in r.counts)
    if single:
        counts = count(r.counts[0][1], "activity", "activities")
    return _reply(blocks, f"{title}: {counts}", r.command)


def _deadlines(r: q.DeadlineList) -> Reply:
    window = f" in the next {r.days} days" if r.days is not None else ""
    blocks: list[dict] = [header(f"Deadlines{window}")]
    for label, dues in (
        ("Overdue", r.overdue),
        ("Upcoming", r.upcoming),
        ("Date not set", r.unset),
    ):
        if dues:
            lines = "\n".join(due_line(d, with_activity=True) for d in dues)
            blocks.append(section(f"*{label}* ({len(dues)})\n{lines}"))
    if not r.upcoming:
        blocks.append(section(f"Nothing upcoming{window}."))
    text = f"Deadlines: {len(r.overdue)} overdue, {len(r.upcoming)} upcoming{window}"
    return _reply(blocks, text, r.command)


def _search(r: q.SearchResults) -> Reply:
    blocks: list[dict] = [header(f"Search: {r.query}")]
    lines = []
    for h in r.hits:
        lines.append(f"• *{escape_mrkdwn(h.code)}* {escape_mrkdwn(h.title)}")
        if h.column != "Title":  # a title match needs no second line
            lines.append(f"    _{h.column}:_ {escape_mrkdwn(cut(h.line, 300))}")
    quoted = escape_mrkdwn(cut(r.query, 100))
    nothing = f'Nothing matches "{quoted}". Try fewer or shorter words, or /brs list.'
    blocks.append(section("\n".join(lines) if lines else nothing))
    found = count(len(r.hits), "activity matches", "activities match") if r.hits else "no match"
    return _reply(blocks, f'Search "{quoted}": {found}', r.command)


def _history(r: q.HistoryResult) -> Reply:
    blocks: list[dict] = [header(f"History · {r.code} {r.title}")]
    lines = history_lines(r.changes, r.rows)
    blocks.append(section(lines or "No changes since the report was imported."))
    text = summary(r.code, len(r.changes), max(r.total, len(r.changes)))
    return _reply(blocks, text, r.command, more="older changes not shown")


HELP = (
    ("/brs S17", "one activity: every row, funding, deadlines, last change"),
    ("/brs list", "all activities, one line each"),
    ("/brs section II", "the activities of a section; a word works too: /brs section scientific"),
    ("/brs funding", "funding overview; a group: /brs funding not-yet (partly, fully, unclear)"),
    ("/brs deadlines", "overdue and upcoming deadlines; /brs deadlines 30 for the next 30 days"),
    ("/brs search questionnaire", "activities whose text matches, best first"),
    ("/brs history S17", "who changed what in S17, newest first"),
    ("/brs changes", "what changed since the last import; /brs changes since 2012-06-01"),
    ("/brs update S17 Responses received", "editors: add a dated, signed status line"),
    ("/brs set S8 funding fully Donor X", "editors: not-yet, partly, fully or none, and a note"),
    ("/brs edit S17", "editors: a form with every field of S17"),
    ("/brs undo S17", "editors: take back the last change to S17"),
    ("/brs deadline add S17 2012-08-31 Collect responses", "editors: a new deadline"),
    ("/brs deadline add S17 90 days before COP-2013 Publish", "editors: one that follows an event"),
    ("/brs deadline done S17-2", "editors: done, no more reminders; /brs deadline remove S17-5"),
    ("/brs event COP-2013 2013-04-28", "editors: move an event and the deadlines that follow it"),
    ("/brs remind here", "editors: reminders go to this channel; /brs remind off stops them"),
    ("/brs owner S17 @jane", "editors: S17's owners may change it; /brs owner S17 says who"),
    ("/brs export md", "the report as a file here; also docx, csv, deadlines (a CSV), or ics"),
    ("/brs calendar", "editors: the address to subscribe to the deadlines in a calendar"),
    ("/brs timeline", "a picture of the deadlines over time, in this channel"),
)


def _help(r: q.HelpResult) -> Reply:
    lines = "\n".join(f"`{form}` — {what}" for form, what in HELP)
    blocks: list[dict] = [
        header("brs · BRS synergies status report"),
        section(lines),
        context("Codes are case-insensitive: s17 works too."),
    ]
    return _reply(
        blocks, "brs commands: /brs S17, list, section, funding, deadlines, search", r.command
    )


def _not_found(r: q.NotFound) -> Reply:
    asked = escape_mrkdwn(cut(" ".join(r.asked.split()), 40))
    if r.what == "activity":
        message = f'No activity "{asked}". Valid codes: {escape_mrkdwn(", ".join(r.choices))}.'
    else:
        sections = escape_mrkdwn(", ".join(r.choices))
        message = f'No section matches "{asked}". Sections: {sections}.'
    return Reply(fit([section(cut(message, SECTION_MAX))]), cut(message, 300))


# One line per result type; a new query's renderer is one more line here.
RENDERERS: dict[type, Callable[[Any], Reply]] = {
    q.ActivityCard: _card,
    q.ActivityList: _list,
    q.FundingOverview: _funding,
    q.DeadlineList: _deadlines,
    q.SearchResults: _search,
    q.HistoryResult: _history,
    q.HelpResult: _help,
    q.NotFound: _not_found,
    ReportChanges: render_changes,
    **outcomes.RENDERERS,  # what changes did (bot.changes.outcomes)
}


def render(result: q.Result | Outcome) -> Reply:
    """Turn any query result or change outcome into a Reply (an error Reply for NotFound)."""
    return RENDERERS[type(result)](result)
