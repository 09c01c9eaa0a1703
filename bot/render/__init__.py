"""Render query results as Block Kit replies that always fit Slack's limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot import queries as q
from store.model import FUNDING_LABELS, Row

# Slack's Block Kit limits; slack_sdk checks some only when serialising, others never.
MAX_BLOCKS = 50
HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
FIELDS_MAX = 10
CONTEXT_MAX = 10
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
TOTAL_MAX = 12_000  # Slack rejects messages of about 13,000 characters of block text
FULL_TEXT = "full text: brs export --format md"
_M = "January February March April May June July August September October November December"
MONTHS = tuple(_M.split())
_USER = re.compile(r"[UW][A-Z0-9]{2,}")
_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")


@dataclass(frozen=True)
class Reply:
    blocks: list[dict]
    text: str  # the notification fallback, mrkdwn


def escape_mrkdwn(text: str) -> str:
    """Make report or user text inert in mrkdwn: no pings, no forged links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int, more: str = "") -> str:
    """Shorten to `limit` characters with "…" (and `more`), never splitting an &entity;."""
    if len(text) <= limit:
        return text
    tail = f"… ({more})" if more else "…"
    head = _ENTITY_TAIL.sub("", text[: max(limit - len(tail), 0)])
    return (head.rstrip() + tail)[:limit]


def _split(text: str, limit: int) -> list[str]:
    """Split mrkdwn into chunks of at most `limit` characters, at line ends where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line longer than a block: break it at a space
            at = line.rfind(" ", limit // 2, limit)
            at = at if at > 0 else limit
            head = _ENTITY_TAIL.sub("", line[:at])
            chunks += [current] if current else []
            chunks.append(head)
            current, line = "", line[len(head) :].lstrip()
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [c for c in [*chunks, current] if c.strip()] or [text[:limit]]


def _fit_block(b: Block) -> list[Block]:
    """One block within its own limits: long text cut or split; most blocks pass untouched."""
    if isinstance(b, HeaderBlock):
        b.text.text = cut(b.text.text, HEADER_MAX)
    elif isinstance(b, SectionBlock):
        fields = b.fields or []
        for f in fields:
            f.text = cut(f.text, FIELD_MAX)
        if len(fields) > FIELDS_MAX or (b.text and len(b.text.text) > SECTION_MAX):
            out: list[Block] = (
                [_section(t) for t in _split(b.text.text, SECTION_MAX)] if b.text else []
            )
            chunks = range(0, len(fields), FIELDS_MAX)
            return out + [SectionBlock(fields=fields[i : i + FIELDS_MAX]) for i in chunks]
    elif isinstance(b, ContextBlock):
        for e in b.elements:
            e.text = cut(e.text, FIELD_MAX)
        if len(b.elements) > CONTEXT_MAX:
            chunks = range(0, len(b.elements), CONTEXT_MAX)
            return [ContextBlock(elements=b.elements[i : i + CONTEXT_MAX]) for i in chunks]
    elif isinstance(b, ActionsBlock):
        for e in b.elements:
            e.text.text = cut(e.text.text, BUTTON_TEXT_MAX)
            e.value = e.value[:BUTTON_VALUE_MAX] if e.value else e.value
    return [b]


def _text_len(d: dict) -> int:
    n = len(d.get("text", {}).get("text", ""))
    for e in (*d.get("fields", ()), *d.get("elements", ())):
        t = e.get("text", "")
        n += len(t["text"] if isinstance(t, dict) else t)
    return n


def fit(blocks: list[Block], more: str = FULL_TEXT) -> list[dict]:
    """The one place every reply passes through to respect Slack's limits."""
    fitted = [x for b in blocks for x in _fit_block(b)]
    tail = [x.to_dict() for x in fitted if isinstance(x, ActionsBlock)]  # Share stays last
    body = [x for x in fitted if not isinstance(x, ActionsBlock)]
    pointer = {"type": "context", "elements": [{"type": "mrkdwn", "text": f"… ({more})"}]}
    room = MAX_BLOCKS - len(tail) - 1
    budget = TOTAL_MAX - sum(_text_len(d) for d in tail) - len(more) - 10
    out: list[dict] = []
    for i, x in enumerate(body):
        d = x.to_dict()  # serialise only what is sent: a huge activity is cut early
        size = _text_len(d)
        if size <= budget and (len(out) < room or (len(out) == room and i == len(body) - 1)):
            out.append(d)
            budget -= size
            continue
        if d["type"] == "section" and "text" in d and budget > 200 and len(out) < room:
            d["text"]["text"] = cut(d["text"]["text"], budget)
            out.append(d)
        out.append(pointer)
        break
    return out + tail


# --- small builders -------------------------------------------------------


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=_md(text))


def _bullets(lines: tuple[str, ...]) -> str:
    return "\n".join(f"• {escape_mrkdwn(x)}" for x in lines)


def _share(command: str) -> ActionsBlock:
    button = ButtonElement(text="Share in channel", action_id="share", value=command)
    return ActionsBlock(elements=[button])


def _reply(blocks: list[Block], text: str, command: str | None, more: str = FULL_TEXT) -> Reply:
    if command is not None:
        blocks.append(_share(command))
    return Reply(fit(blocks, more), cut(text, 300))


def fmt_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def fmt_days(days: int) -> str:
    if days < 0:
        return f"{-days} day{'s' if days < -1 else ''} overdue"
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


def fmt_when(at: Any) -> str:
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at.replace("Z", "+00:00"))
        except ValueError:
            return escape_mrkdwn(at)
    if isinstance(at, datetime):
        at = at.astimezone(UTC) if at.tzinfo else at  # history times are UTC; naive ones too
        return f"{fmt_date(at)} {at:%H:%M} UTC"
    return fmt_date(at) if isinstance(at, date) else "unknown time"


def fmt_who(user: str | None) -> str:
    if not user or user == "import":
        return "import"
    return f"<@{user}>" if _USER.fullmatch(user) else escape_mrkdwn(user)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _says_more(words: str, label: str) -> bool:
    """Whether the report's words add to a label ("Not yet funded." does not)."""
    if len(words) > len(label) + 10:  # cheap for long text: no label is that wordy
        return True
    return bool(words) and re.sub(r"\W+", " ", words).strip().lower() != label.lower()


def _when(d: q.Due) -> str:
    dl = d.deadline
    if d.on is None:
        return f"date not set: /brs event {escape_mrkdwn(dl.event or '')} &lt;date&gt;"
    when = fmt_date(d.on)
    if dl.end and dl.end != d.on and dl.event is None:
        same = (dl.end.year, dl.end.month) == (d.on.year, d.on.month)
        when = f"{d.on.day}–{fmt_date(dl.end)}" if same else f"{when} – {fmt_date(dl.end)}"
    if dl.event:
        when += f" ({escape_mrkdwn(dl.rule)})"
    if not dl.is_open:
        return f"{when} · done"
    return when if d.days is None else f"{when} · *{fmt_days(d.days)}*"


def due_line(d: q.Due, with_activity: bool = False) -> str:
    """One deadline: id, date, days left, what is due (and whose, in cross-activity lists)."""
    mark = "" if d.deadline.is_open else "✓ "
    what = escape_mrkdwn(cut(d.deadline.due or d.deadline.sentence, 300))
    if with_activity:
        what = f"*{escape_mrkdwn(d.code)}* {escape_mrkdwn(cut(d.title, 80))}: {what}"
    return f"• {mark}`{escape_mrkdwn(d.deadline.id)}` {_when(d)} — {what}"


def badge(status: str) -> str:
    return FUNDING_LABELS.get(status, status)


def error_reply(message: str) -> Reply:
    """A short ephemeral error: no share button."""
    text = cut(escape_mrkdwn(message), SECTION_MAX)
    return Reply(fit([_section(text)]), cut(text, 300))


# --- one renderer per result ----------------------------------------------


def _labelled(label: str, lines: tuple[str, ...], empty: str = "") -> str:
    return f"*{label}*\n{_bullets(lines) if lines else empty}" if lines or empty else ""


def _row_blocks(row: Row, n: int, of: int) -> list[Block]:
    f = row.funding
    needed = f.needed.capitalize()
    if _says_more(f.needed_words, needed):
        needed += f" — {escape_mrkdwn(f.needed_words)}"
    status = badge(f.status)
    if _says_more(f.words, status):
        status += f"\n{escape_mrkdwn(f.words)}"
    # One section for the row's text: fewer blocks render faster and read the same.
    parts = [
        f"*Request {n} of {of}*" if of > 1 else "",
        _labelled("Decision requests", row.requests),
        _labelled("Status of implementation", row.status),
        _labelled("Next steps", row.next_steps, "_none listed_"),
    ]
    fields = [_md(f"*Funding needed*\n{needed}"), _md(f"*Funding status*\n{status}")]
    blocks: list[Block] = [DividerBlock()] if of > 1 else []
    blocks += [_section("\n\n".join(p for p in parts if p)), SectionBlock(fields=fields)]
    if row.implications:
        blocks.append(_section(_labelled("Implications if funding is missing", row.implications)))
    return blocks


def _card(r: q.ActivityCard) -> Reply:
    a, ch = r.activity, r.last_change
    changed = f"{fmt_who(ch.user)}, {fmt_when(ch.at)}" if ch else "import"
    where = f"Section {escape_mrkdwn(a.section)} {escape_mrkdwn(a.section_title)}"
    context = f"{where} · {badge(a.funding_status)} · last change: {changed}"
    if r.owners:
        context += " · owners: " + ", ".join(fmt_who(u) for u in r.owners)
    blocks: list[Block] = [
        HeaderBlock(text=f"{a.code} · {a.title}"),
        ContextBlock(elements=[_md(context)]),
    ]
    for n, row in enumerate(a.rows, 1):
        blocks += _row_blocks(row, n, len(a.rows))
    lines = "\n".join(due_line(d) for d in r.deadlines) or "none found in the report"
    blocks += [DividerBlock(), _section(f"*Deadlines*\n{lines}")]
    return _reply(blocks, escape_mrkdwn(f"{a.code} · {a.title}"), r.command)


def _item_line(i: q.ListItem) -> str:
    line = f"• *{escape_mrkdwn(i.code)}* {escape_mrkdwn(i.title)} — _{badge(i.funding)}_"
    d = i.next_due
    if d is not None:
        line += f" — next: {_when(d)}" if d.on else " — next: date not set"
    if i.owners:
        line += " — " + ", ".join(fmt_who(u) for u in i.owners)
    return line


def _list(r: q.ActivityList) -> Reply:
    groups: dict[tuple[str, str], list[str]] = {}
    for i in r.items:
        groups.setdefault((i.section, i.section_title), []).append(_item_line(i))
    several = len(groups) > 1
    blocks: list[Block] = [HeaderBlock(text=r.heading)]
    for (number, title), lines in groups.items():
        label = f"*{escape_mrkdwn(number)} {escape_mrkdwn(title)}*\n" if several else ""
        blocks.append(_section(label + "\n".join(lines)))
    if not r.items:
        blocks.append(_section("No activities here."))
    text = f"{r.heading}: {_count(len(r.items), 'activity', 'activities')}"
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
        if _says_more(w, badge(status)):
            words.append(w)
            size += len(w)
    return line + (f" — {escape_mrkdwn(cut('; '.join(words), 400))}" if words else "")


def _funding(r: q.FundingOverview) -> Reply:
    single = len(r.groups) == 1
    title = badge(r.groups[0].status).capitalize() if single else "Funding overview"
    blocks: list[Block] = [HeaderBlock(text=title)]
    if not single:
        blocks.append(_section(" · ".join(f"*{n}* {badge(s)}" for s, n in r.counts)))
    for g in r.groups:
        if not g.entries:
            blocks += [_section(f"No activities under {badge(g.status)}.")] if single else []
            continue
        lines = "\n".join(_entry_line(e, g.status) for e in g.entries)
        label = f"*{badge(g.status).capitalize()}* ({len(g.entries)})"
        blocks.append(_section(f"{label}\n{lines}"))
    counts = ", ".join(f"{n} {badge(s)}" for s, n in r.counts)
    if single:
        counts = _count(r.counts[0][1], "activity", "activities")
    return _reply(blocks, f"{title}: {counts}", r.command)


def _deadlines(r: q.DeadlineList) -> Reply:
    window = f" in the next {r.days} days" if r.days is not None else ""
    blocks: list[Block] = [HeaderBlock(text=f"Deadlines{window}")]
    for label, dues in (
        ("Overdue", r.overdue),
        ("Upcoming", r.upcoming),
        ("Date not set", r.unset),
    ):
        if dues:
            lines = "\n".join(due_line(d, with_activity=True) for d in dues)
            blocks.append(_section(f"*{label}* ({len(dues)})\n{lines}"))
    if not r.upcoming:
        blocks.append(_section(f"Nothing upcoming{window}."))
    text = f"Deadlines: {len(r.overdue)} overdue, {len(r.upcoming)} upcoming{window}"
    return _reply(blocks, text, r.command)


def _search(r: q.SearchResults) -> Reply:
    blocks: list[Block] = [HeaderBlock(text=f"Search: {r.query}")]
    lines = []
    for h in r.hits:
        lines.append(f"• *{escape_mrkdwn(h.code)}* {escape_mrkdwn(h.title)}")
        if h.column != "Title":  # a title match needs no second line
            lines.append(f"    _{h.column}:_ {escape_mrkdwn(cut(h.line, 300))}")
    quoted = escape_mrkdwn(cut(r.query, 100))
    nothing = f'Nothing matches "{quoted}". Try fewer or shorter words, or /brs list.'
    blocks.append(_section("\n".join(lines) if lines else nothing))
    found = _count(len(r.hits), "activity matches", "activities match") if r.hits else "no match"
    return _reply(blocks, f'Search "{quoted}": {found}', r.command)


def _history(r: q.HistoryResult) -> Reply:
    from bot.render.history import history_lines, summary  # it builds on this module

    blocks: list[Block] = [HeaderBlock(text=f"History · {r.code} {r.title}")]
    lines = history_lines(r.changes, r.rows)
    blocks.append(_section(lines or "No changes since the report was imported."))
    text = summary(r.code, len(r.changes), max(r.total, len(r.changes)))
    return _reply(blocks, text, r.command, more="older changes not shown")


HELP = (
    ("/brs S17", "one activity: every row, funding, deadlines, last change"),
    ("/brs list", "all activities, one line each"),
    ("/brs section II", "the activities of a section; a word works too: /brs section scientific"),
    ("/brs funding", "funding overview; one group: /brs funding not-yet (partly, fully, none)"),
    ("/brs deadlines", "overdue and upcoming deadlines; /brs deadlines 30 for the next 30 days"),
    ("/brs search questionnaire", "activities whose text matches, best first"),
    ("/brs history S17", "who changed what in S17, newest first"),
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
    ("/brs export md", "the report as a file here; also csv, deadlines (a CSV), or ics"),
    ("/brs calendar", "editors: the address to subscribe to the deadlines in a calendar"),
    ("/brs timeline", "a picture of the deadlines over time, in this channel"),
)


def _help(r: q.HelpResult) -> Reply:
    lines = "\n".join(f"`{form}` — {what}" for form, what in HELP)
    blocks: list[Block] = [
        HeaderBlock(text="brs · BRS synergies status report"),
        _section(lines),
        ContextBlock(elements=[_md("Codes are case-insensitive: s17 works too.")]),
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
    return Reply(fit([_section(cut(message, SECTION_MAX))]), cut(message, 300))


_RENDERERS: dict[type, Any] = {
    q.ActivityCard: _card,
    q.ActivityList: _list,
    q.FundingOverview: _funding,
    q.DeadlineList: _deadlines,
    q.SearchResults: _search,
    q.HistoryResult: _history,
    q.HelpResult: _help,
    q.NotFound: _not_found,
}


def render(result: q.Result) -> Reply:
    """Turn any query result into a Reply (an error Reply for NotFound)."""
    return _RENDERERS[type(result)](result)
