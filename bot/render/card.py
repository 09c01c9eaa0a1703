"""The activity card (`/brs S17`, `/brs S17 all`) and its compact form (mentions, Share, Home)."""

# A card must always show what matters now: the newest status lines, the next steps, the
# funding and the open deadlines. Slack cuts a message at ~12,000 characters and 50 blocks,
# and fit() drops whatever comes last, so the card shares out its room before drawing:
# deadlines first, then each request gets an equal part, and inside a request the status
# lines take what the requests, next steps and implications leave (oldest lines go first).

from __future__ import annotations

from bot import queries as q
from bot.render.blocks import (
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
from bot.render.format import badge, due_line, due_when, fmt_when, fmt_who, says_more
from store.model import Row

FULL_CARD = "card_full"  # the compact card's button; its value is the activity's code
ROOM = 10_500  # characters of block text a card plans for (Slack's ceiling is ~12,000)
DEADLINES_ROOM = 2_500
LINE_MAX = 700  # one status line, request or step on a card; `/brs S17 all` shows them whole
MAX_ROW_BLOCKS = 42  # what the header, deadlines and buttons leave of Slack's 50 blocks
MANY_ROWS = 10  # from here on a request is one block (funding inline) to stay under 50 blocks


def _bullets(lines: tuple[str, ...] | list[str], limit: int = 0) -> str:
    return "\n".join(f"• {escape_mrkdwn(cut(x, limit) if limit else x)}" for x in lines)


def _within(lines: tuple[str, ...], room: int, limit: int) -> tuple[list[str], int]:
    """As many of `lines` (in order) as fit in `room`, at least one; and how many were left."""
    shown: list[str] = []
    used = 0
    for line in lines:
        size = min(len(line), limit) + 3
        if shown and used + size > room:
            break
        shown.append(line)
        used += size
    return shown, len(lines) - len(shown)


def _labelled(label: str, lines: tuple[str, ...], room: int, code: str, empty: str = "") -> str:
    if not lines:
        return f"*{label}*\n{empty}" if empty else ""
    shown, left = _within(lines, room, LINE_MAX)
    more = f"\n_… and {left} more: `/brs {escape_mrkdwn(code)} all`_" if left else ""
    return f"*{label}*\n{_bullets(shown, LINE_MAX)}{more}"


def _status(row: Row, code: str, room: int | None) -> str:
    newest = tuple(reversed(row.status))  # people read what happened last first
    if not newest:
        return ""
    if room is None:  # `/brs S17 all`
        return f"*Status of implementation* (newest first)\n{_bullets(newest)}"
    shown, left = _within(newest, room, LINE_MAX)
    c = escape_mrkdwn(code)
    older = (
        f"\n_{left} earlier line{'s' if left > 1 else ''} — `/brs history {c}` / `/brs {c} all`_"
        if left
        else ""
    )
    return f"*Status of implementation* (newest first)\n{_bullets(shown, LINE_MAX)}{older}"


def _funding(row: Row) -> tuple[str, str]:
    f = row.funding
    needed = f.needed.capitalize()
    if says_more(f.needed_words, needed):
        needed += f" — {escape_mrkdwn(cut(f.needed_words, 600))}"
    status = badge(f.status)
    if says_more(f.words, status):
        status += f"\n{escape_mrkdwn(cut(f.words, 600))}"
    return f"*Funding needed*\n{needed}", f"*Funding status*\n{status}"


def _row_blocks(row: Row, n: int, code: str, of: int, room: int | None) -> list[dict]:
    part = None if room is None else room // 5  # requests, next steps; implications less
    if room is None:
        requests, steps = _bullets(row.requests), _bullets(row.next_steps) or "_none listed_"
        texts = [
            f"*Decision requests*\n{requests}" if row.requests else "",
            _status(row, code, None),
            f"*Next steps*\n{steps}",
        ]
        implications = f"*Implications if funding is missing*\n{_bullets(row.implications)}"
    else:
        assert part is not None
        texts = [
            _labelled("Decision requests", row.requests, part, code),
            _status(row, code, room - 2 * part - part // 2 - 1300),
            _labelled("Next steps", row.next_steps, part, code, "_none listed_"),
        ]
        implications = _labelled(
            "Implications if funding is missing", row.implications, part // 2, code
        )
    head = [f"*Request {n} of {of}*"] if of > 1 else []
    if row.implications:
        texts.append(implications)
    needed, status = _funding(row)
    if of >= MANY_ROWS:  # one block per request
        return [section("\n\n".join([*head, *(t for t in texts if t), f"{needed}\n{status}"]))]
    blocks: list[dict] = [divider()] if of > 1 else []
    return [
        *blocks,
        section("\n\n".join([*head, *(t for t in texts if t)])),
        fields_section(needed, status),
    ]


def _size(blocks: list[dict]) -> int:
    return sum(
        len(b.get("text", {}).get("text", "")) + sum(len(f["text"]) for f in b.get("fields", ()))
        for b in blocks
    )


def _rows(rows: tuple[Row, ...], code: str, room: int | None) -> list[dict]:
    """The requests' blocks; on a short card, those that fit, then a line saying how many not."""
    out: list[dict] = []
    for n, row in enumerate(rows, 1):
        more = _row_blocks(row, n, code, len(rows), room)
        if (
            room is not None
            and out
            and (
                _size(out) + _size(more) > room * len(rows) or len(out) + len(more) > MAX_ROW_BLOCKS
            )
        ):
            c = escape_mrkdwn(code)
            left = len(rows) - n + 1
            out.append(context(f"… {left} more request{'s' * (left > 1)}: `/brs {c} all`"))
            break
        out += more
    return out


def _deadlines(r: q.ActivityCard, full: bool) -> str:
    open_ = [d for d in r.deadlines if d.deadline.is_open]
    closed = [d for d in r.deadlines if not d.deadline.is_open]
    lines: list[str] = []
    used = 0
    for d in [*open_, *closed]:
        line = due_line(d)
        if not full and used + len(line) > DEADLINES_ROOM:
            left = len(open_) + len(closed) - len(lines)
            lines.append(f"_… {left} more: `/brs {escape_mrkdwn(r.activity.code)} all`_")
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines) or "none found in the report"


def card(r: q.ActivityCard) -> Reply:
    """The card: everything, with older status lines collapsed unless `all` was asked."""
    a, ch = r.activity, r.last_change
    changed = f"{fmt_who(ch.user)}, {fmt_when(ch.at)}" if ch else "import"
    where = f"Section {escape_mrkdwn(a.section)} {escape_mrkdwn(a.section_title)}"
    about = f"{where} · {badge(a.funding_status)} · last change: {changed}"
    if r.owners:
        about += " · owners: " + ", ".join(fmt_who(u) for u in r.owners)
    blocks: list[dict] = [header(f"{a.code} · {a.title}"), context(about)]
    deadlines = _deadlines(r, r.view == "all")
    room = None if r.view == "all" else (ROOM - len(deadlines) - 400) // max(len(a.rows), 1)
    blocks += _rows(a.rows, a.code, room)
    blocks += [divider(), section(f"*Deadlines*\n{deadlines}")]
    code = escape_mrkdwn(a.code)
    blocks.append(actions(button("Share in channel", "share", f"{a.code} brief")))
    more = f"older lines: /brs history {code}"
    return Reply(fit(blocks, more), cut(escape_mrkdwn(f"{a.code} · {a.title}"), 300))


def compact(r: q.ActivityCard) -> Reply:
    """Title, the newest status line, funding and the next deadline, and a button for the rest."""
    a = r.activity
    latest = next((row.status[-1] for row in a.rows if row.status), "")
    line = f"*Latest:* {escape_mrkdwn(cut(latest, 600))}" if latest else "_No status lines yet._"
    nxt = next((d for d in r.deadlines if d.deadline.is_open), None)
    due = (
        f"`{escape_mrkdwn(nxt.deadline.id)}` {due_when(nxt)} — "
        f"{escape_mrkdwn(cut(nxt.deadline.due or nxt.deadline.sentence, 200))}"
        if nxt
        else "none open"
    )
    full = button("Full card", FULL_CARD, a.code)
    blocks = [
        header(f"{a.code} · {a.title}"),
        section(line, accessory=full),
        fields_section(f"*Funding*\n{badge(a.funding_status)}", f"*Next deadline*\n{due}"),
        actions(button("Share in channel", "share", f"{a.code} brief")),
    ]
    return Reply(fit(blocks), cut(escape_mrkdwn(f"{a.code} · {a.title}"), 300))
