"""How brs writes dates, days left, people, deadlines and funding badges in mrkdwn."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from bot.render.blocks import cut, escape_mrkdwn
from store.model import FUNDING_LABELS

if TYPE_CHECKING:  # only for annotations: render sits above the queries
    from bot.queries import Due

_M = "January February March April May June July August September October November December"
MONTHS = tuple(_M.split())
_USER = re.compile(r"[UW][A-Z0-9]{2,}")


def fmt_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def span(days: int) -> str:
    """A number of days as people say it: 5 days, 3 weeks, 4 months, 2 years."""
    if days < 14:
        return count(days, "day", "days")
    if days < 60:
        return count(round(days / 7), "week", "weeks")
    if days < 365:
        return count(round(days / 30.44), "month", "months")
    return count(days // 365, "year", "years")


def fmt_days(days: int) -> str:
    """Days left or overdue: "today", "tomorrow", "in 3 weeks", "2 years overdue"."""
    if days < 0:
        return f"{span(-days)} overdue"
    return {0: "today", 1: "tomorrow"}.get(days, f"in {span(days)}")


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


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def badge(status: str) -> str:
    return FUNDING_LABELS.get(status, status)


def says_more(words: str, label: str) -> bool:
    """Whether the report's words add to a label ("Not yet funded." does not)."""
    if len(words) > len(label) + 10:  # cheap for long text: no label is that wordy
        return True
    return bool(words) and re.sub(r"\W+", " ", words).strip().lower() != label.lower()


def due_when(d: Due) -> str:
    """When a deadline falls, its rule, and days left (or done)."""
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


def due_line(d: Due, with_activity: bool = False) -> str:
    """One deadline: id, date, days left, what is due (and whose, in cross-activity lists)."""
    mark = "" if d.deadline.is_open else "✓ "
    what = escape_mrkdwn(cut(d.deadline.due or d.deadline.sentence, 300))
    if with_activity:
        what = f"*{escape_mrkdwn(d.code)}* {escape_mrkdwn(cut(d.title, 80))}: {what}"
    return f"• {mark}`{escape_mrkdwn(d.deadline.id)}` {due_when(d)} — {what}"
