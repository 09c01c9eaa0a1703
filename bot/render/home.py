"""The App Home dashboard as Block Kit: pure, from HomeData to one view of at most 100 blocks."""

# Every page shows the funding counts and the overdue and next deadlines; the activities follow,
# grouped by section, one block each with a Details button (and Edit buttons for editors). A
# report too big for one view is cut into pages at activity boundaries, with Previous / Next.

from __future__ import annotations

from bot import queries as q
from bot.queries.home import HomeData
from bot.render.blocks import (
    actions,
    button,
    context,
    cut,
    divider,
    escape_mrkdwn,
    fields_section,
    header,
    section,
)
from bot.render.format import badge, due_line, fmt_date, fmt_who

MAX_BLOCKS = 100  # Slack's limit for a Home tab view
TEXT_BUDGET = 12_000  # as for messages (STACK-NOTES): well under what Slack takes, and readable
SECTION_MAX = 3000
BUTTONS_PER_ROW = 25  # an actions block holds at most 25 elements
DEADLINES_SHOWN = 6
DETAILS = "home_details"  # the Details button's action_id; its value is the activity's code
EDIT = "home_edit"  # Edit buttons' action_ids start with this ("home_edit:S17")
PAGE = "home_page"  # Previous / Next ("home_page:prev"); the value is the page to show
DETAILS_MODAL = "home_details_modal"


# --- blocks ---------------------------------------------------------------------------------


# A view is not fitted like a message: each piece is cut to its limit where it is built.
def _section(text: str, accessory: dict | None = None) -> dict:
    return section(cut(text, SECTION_MAX), accessory)


def _context(text: str) -> dict:
    return context(cut(text, 2000))


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    return button(cut(text, 75), action_id, value, style)


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
    counts = [f"*{n}* {badge(s)}" for s, n in d.counts] or ["No activities yet."]
    upcoming = _lines("Next deadlines", d.upcoming, "none", "/brs deadlines")
    if d.undated:
        upcoming += f"\n_{d.undated} without a date yet: `/brs deadlines`_"
    return [
        header("BRS synergies status"),
        _context(f"{about}As of {fmt_date(d.today)} · {d.activities} activities · {who}"),
        fields_section(*counts[:10]),
        divider(),
        _section(_lines("Overdue", d.overdue, "nothing overdue", "/brs deadlines")),
        _section(upcoming),
        divider(),
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
        rows.append(actions(*buttons))
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
    return [_context(where), actions(*buttons)]


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
