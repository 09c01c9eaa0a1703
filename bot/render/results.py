"""One renderer per query result, and `render()`: any result or change outcome to a Reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import queries as q
from bot.changes.outcomes import Outcome
from bot.render import card, outcomes
from bot.render.blocks import (
    FULL_TEXT,
    SECTION_MAX,
    Reply,
    actions,
    button,
    context,
    cut,
    escape_mrkdwn,
    fit,
    header,
    section,
)
from bot.render.format import (
    badge,
    count,
    due_line,
    due_when,
    fmt_date,
    fmt_who,
    says_more,
)
from bot.render.help import render_help
from bot.render.history import history_lines, summary
from bot.render.report_changes import ReportChanges, render_changes


def _bullets(lines: tuple[str, ...]) -> str:
    return "\n".join(f"• {escape_mrkdwn(x)}" for x in lines)


def _reply(blocks: list[dict], text: str, command: str | None, more: str = FULL_TEXT) -> Reply:
    if command is not None:
        blocks.append(actions(button("Share in channel", "share", command)))
    return Reply(fit(blocks, more), cut(text, 300))


def _labelled(label: str, lines: tuple[str, ...], empty: str = "") -> str:
    return f"*{label}*\n{_bullets(lines) if lines else empty}" if lines or empty else ""


def _card(r: q.ActivityCard) -> Reply:
    return card.compact(r) if r.view == "brief" else card.card(r)


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


def _funding_total(r: q.FundingOverview) -> str:
    """The activities counted once: one with requests in two groups is listed under both."""
    total = count(r.activities, "activity", "activities")
    if not r.several:
        return total
    codes = ", ".join(r.several)
    groups = sum(n for _, n in r.counts)
    listed = (
        "is listed under each of its groups" if len(r.several) == 1 else "are listed under each"
    )
    return f"{total} ({codes} {listed}, so the groups add up to {groups})"


def _funding(r: q.FundingOverview) -> Reply:
    single = len(r.groups) == 1
    title = badge(r.groups[0].status).capitalize() if single else "Funding overview"
    blocks: list[dict] = [header(title)]
    if not single:
        counts = " · ".join(f"*{n}* {badge(s)}" for s, n in r.counts)
        blocks.append(section(f"{counts}\n{escape_mrkdwn(_funding_total(r))}"))
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
    else:
        counts = f"{count(r.activities, 'activity', 'activities')}: {counts}"
    return _reply(blocks, escape_mrkdwn(f"{title}: {counts}"), r.command)


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
    if r.suggestions:
        meant = escape_mrkdwn(r.suggestions[0])
        nothing = f'Nothing matches "{quoted}". Did you mean "{meant}"? `/brs search {meant}`'
    blocks.append(section("\n".join(lines) if lines else nothing))
    found = count(len(r.hits), "activity matches", "activities match") if r.hits else "no match"
    return _reply(blocks, f'Search "{quoted}": {found}', r.command)


def _events(r: q.EventList) -> Reply:
    blocks: list[dict] = [header("Events")]
    for e in r.events:
        name = escape_mrkdwn(e.name)
        when = fmt_date(e.on) if e.on else f"no date yet: /brs event {name} &lt;date&gt;"
        lines = "\n".join(due_line(d, with_activity=True) for d in e.dues)
        follow = f"\n{lines}" if lines else "\n_no deadlines follow it_"
        blocks.append(section(f"*{name}* · {when}{follow}"))
    if not r.events:
        blocks.append(section("No events yet. Like: /brs event COP-2015 2015-05-04"))
    blocks.append(context("`/brs event NAME DATE` creates or moves one · `/brs event remove NAME`"))
    return _reply(blocks, f"Events: {count(len(r.events), 'event', 'events')}", r.command)


def _history(r: q.HistoryResult) -> Reply:
    blocks: list[dict] = [header(f"History · {r.code} {r.title}")]
    lines = history_lines(r.changes, r.rows)
    blocks.append(section(lines or "No changes since the report was imported."))
    text = summary(r.code, len(r.changes), max(r.total, len(r.changes)))
    return _reply(blocks, text, r.command, more="older changes not shown")


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
    q.EventList: _events,
    q.HelpResult: render_help,
    q.NotFound: _not_found,
    ReportChanges: render_changes,
    **outcomes.RENDERERS,  # what changes did (bot.changes.outcomes)
}


def render(result: q.Result | Outcome) -> Reply:
    """Turn any query result or change outcome into a Reply (an error Reply for NotFound)."""
    return RENDERERS[type(result)](result)
