"""The App Home dashboard as Block Kit: pure, from query results to one view of at most 100 blocks.

Every page shows the funding counts and the overdue and next deadlines; the activities follow,
grouped by section, one block each with a Details button (and Edit buttons for editors). A
report too big for one view is cut into pages at activity boundaries, with Previous / Next.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import grammar as c
from bot import queries as q
from bot.render import badge, cut, due_line, escape_mrkdwn, fmt_date, fmt_who
from store.model import FUNDING_STATUSES

MAX_BLOCKS = 100  # Slack's limit for a Home tab view
TEXT_BUDGET = 12_000  # as for messages (STACK-NOTES): well under what Slack takes, and readable
SECTION_MAX = 3000
BUTTONS_PER_ROW = 25  # an actions block holds at most 25 elements
DEADLINES_SHOWN = 6
DETAILS = "home_details"  # the Details button's action_id; its value is the activity's code
EDIT = "home_edit"  # Edit buttons' action_ids start with this ("home_edit:S17")
PAGE = "home_page"  # Previous / Next ("home_page:prev"); the value is the page to show
DETAILS_MODAL = "home_details_modal"


@dataclass(frozen=True)
class HomeData:
    """What the Home tab shows, as of `today`, for an editor or not."""

    title: str
    today: date
    editor: bool
    counts: tuple[tuple[str, int], ...]  # (funding badge, number of activities)
    overdue: tuple[q.Due, ...]
    upcoming: tuple[q.Due, ...]
    undated: int
    sections: tuple[tuple[str, tuple[q.ListItem, ...]], ...]  # ("I Technical assistance", items)

    @property
    def activities(self) -> int:
        return sum(len(items) for _, items in self.sections)


def home_data(store: q.Store, *, today: date, editor: bool) -> HomeData:
    """What the dashboard shows, read by the queries behind `/brs list` and `/brs deadlines`."""
    listed = q.run(store, c.ListAll(), today=today)
    due = q.run(store, c.Deadlines(), today=today)
    assert isinstance(listed, q.ActivityList) and isinstance(due, q.DeadlineList)
    counts = Counter(i.funding for i in listed.items)
    sections: dict[tuple[str, str], list[q.ListItem]] = {}
    for item in listed.items:
        sections.setdefault((item.section, item.section_title), []).append(item)
    return HomeData(
        title=str(getattr(store.report_info(), "title", "") or ""),
        today=today,
        editor=editor,
        counts=tuple((s, counts[s]) for s in FUNDING_STATUSES if counts[s]),
        overdue=due.overdue,
        upcoming=due.upcoming,
        undated=len(due.unset),
        sections=tuple((f"{n} {t}".strip(), tuple(items)) for (n, t), items in sections.items()),
    )


# --- blocks ---------------------------------------------------------------------------------


def _md(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def _section(text: str, accessory: dict | None = None) -> dict:
    block: dict[str, Any] = {"type": "section", "text": _md(cut(text, SECTION_MAX))}
    if accessory:
        block["accessory"] = accessory
    return block


def _context(text: str) -> dict:
    return {"type": "context", "elements": [_md(cut(text, 2000))]}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": cut(text, 75)},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _size(block: dict) -> int:
    """Characters of text in a block, the way Slack's size limits count them."""
    n = len((block.get("text") or {}).get("text", ""))
    n += sum(len(f["text"]) for f in block.get("fields", ()))
    for e in block.get("elements", ()):
        t = e.get("text", "")
        n += len(t["text"] if isinstance(t, dict) else t)
    n += len(((block.get("accessory") or {}).get("text") or {}).get("text", ""))
    return n


def _lines(label: str, dues: tuple[q.Due, ...], empty: str, more: str) -> str:
    if not dues:
        return f"*{label}*: {empty}"
    shown = [due_line(d, with_activity=True) for d in dues[:DEADLINES_SHOWN]]
    if len(dues) > DEADLINES_SHOWN:
        shown.append(f"… and {len(dues) - DEADLINES_SHOWN} more: `{more}`")
    return f"*{label}* ({len(dues)})\n" + "\n".join(shown)


def _top(d: HomeData) -> list[dict]:
    who = (
        "You are an editor: *Edit* opens an activity's form."
        if d.editor
        else "*Details* opens an activity's card; editors can change it."
    )
    about = f"{escape_mrkdwn(cut(d.title, 300))}\n" if d.title else ""
    counts = [_md(f"*{n}* {badge(s)}") for s, n in d.counts] or [_md("No activities yet.")]
    upcoming = _lines("Next deadlines", d.upcoming, "none", "/brs deadlines")
    if d.undated:
        upcoming += f"\n_{d.undated} without a date yet: `/brs deadlines`_"
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "BRS synergies status"}},
        _context(f"{about}As of {fmt_date(d.today)} · {d.activities} activities · {who}"),
        {"type": "section", "fields": counts[:10]},
        {"type": "divider"},
        _section(_lines("Overdue", d.overdue, "nothing overdue", "/brs deadlines")),
        _section(upcoming),
        {"type": "divider"},
    ]


def _activity(i: q.ListItem) -> dict:
    line = f"*{escape_mrkdwn(i.code)}* {escape_mrkdwn(cut(i.title, 200))}\n_{badge(i.funding)}_"
    if i.next_due is not None:
        line += " · next: " + due_line(i.next_due).removeprefix("• ")
    if i.owners:
        line += " · owners: " + ", ".join(fmt_who(u) for u in i.owners)
    return _section(line, _button("Details", DETAILS, i.code))


def _edit_rows(items: list[q.ListItem]) -> list[dict]:
    rows = []
    for at in range(0, len(items), BUTTONS_PER_ROW):
        chunk = items[at : at + BUTTONS_PER_ROW]
        buttons = [_button(f"Edit {i.code}", f"{EDIT}:{i.code}", i.code) for i in chunk]
        rows.append({"type": "actions", "elements": buttons})
    return rows


def _group(heading: str, items: list[q.ListItem], editor: bool, more: bool) -> list[dict]:
    title = f"*{escape_mrkdwn(heading)}*" + (" (continued)" if more else "")
    blocks = [_section(title)] + [_activity(i) for i in items]
    return blocks + (_edit_rows(items) if editor else [])


Page = list[tuple[str, list[q.ListItem], bool]]  # (section heading, its items here, continued)


def pages(d: HomeData, blocks: int, chars: int) -> list[Page]:
    """Cut the activities into pages of at most `blocks` blocks and `chars` characters each."""
    out: list[Page] = []
    page: Page = []
    used_b = used_c = 0

    def cost(item: q.ListItem, heading: str, joins: bool) -> tuple[int, int]:
        b, n = 1, _size(_activity(item))
        if not joins:  # a new group on this page: its heading
            b, n = b + 1, n + len(heading) + 16
        if d.editor:
            b += (len(page[-1][1]) if joins else 0) % BUTTONS_PER_ROW == 0  # a new Edit row
            n += len(f"Edit {item.code}")
        return b, n

    for heading, items in d.sections:
        for at, item in enumerate(items):
            joins = bool(page) and page[-1][0] == heading
            b, n = cost(item, heading, joins)
            if page and (used_b + b > blocks or used_c + n > chars):
                out.append(page)
                page, used_b, used_c, joins = [], 0, 0, False
                b, n = cost(item, heading, joins)
            if joins:
                page[-1][1].append(item)
            else:
                page.append((heading, [item], at > 0))
            used_b, used_c = used_b + b, used_c + n
    if page:
        out.append(page)
    return out or [[]]


def _nav(page: int, count: int, shown: Page) -> list[dict]:
    first, last = shown[0][1][0].code, shown[-1][1][-1].code
    buttons = []
    if page > 0:
        buttons.append(_button("‹ Previous", f"{PAGE}:prev", str(page - 1)))
    if page < count - 1:
        buttons.append(_button("Next ›", f"{PAGE}:next", str(page + 1), "primary"))
    where = f"Page {page + 1} of {count} · {escape_mrkdwn(first)} to {escape_mrkdwn(last)}"
    return [_context(where), {"type": "actions", "elements": buttons}]


FOOTER = "Refreshes after every change and every reminder · `/brs help` for everything else"


def home_view(d: HomeData, page: int = 0) -> dict:
    """The Home tab for `d`, showing page `page` (clamped) of the activities."""
    top = _top(d)
    footer = [_context(FOOTER)]
    reserve = 2  # the page navigation, when there are pages
    room_b = MAX_BLOCKS - len(top) - len(footer) - reserve
    room_c = TEXT_BUDGET - sum(_size(b) for b in top + footer) - 200
    cut_pages = pages(d, room_b, room_c)
    page = min(max(page, 0), len(cut_pages) - 1)
    body: list[dict] = []
    for heading, items, more in cut_pages[page]:
        body += _group(heading, items, d.editor, more)
    if not body:
        body = [_section("No activities in the store yet: `brs import` a status report.")]
    nav = _nav(page, len(cut_pages), cut_pages[page]) if len(cut_pages) > 1 else []
    return {
        "type": "home",
        "private_metadata": str(page),
        "blocks": top + body + nav + footer,
    }
