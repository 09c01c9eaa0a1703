"""A PNG of deadlines over time, one line per activity: done, open and overdue in colours.

matplotlib is imported only when a picture is drawn (the console and the bot start without it),
and drawn with its Agg renderer through the object API: no pyplot, no GUI, no global figure.
The window and the labels are chosen by bot.exports.timeline_layout so that a far-away date
is drawn at the edge instead of squeezing the rest, and no label covers another.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.exports.timeline_layout import (
    ABOVE,
    LEFT_EDGE_SLOTS,
    RIGHT_EDGE_SLOTS,
    SLOTS,
    Placer,
    padded,
    window,
)
from store.model import Activity, Deadline

# Colour-blind safe (Okabe-Ito), and a different marker for each, so print in grey reads too.
STYLES = {
    "done": ("#009E73", "o", "done"),
    "open": ("#0072B2", "D", "open"),
    "overdue": ("#D55E00", "X", "overdue"),
}
TODAY_COLOUR = "#CC79A7"
WIDTH_IN = 12.0
ROW_IN = 0.42  # per activity; a long report gets narrower rows and a capped height
DENSE_ROW_IN = 0.26
DENSE_FROM = 40
MAX_HEIGHT_IN = 60.0
DPI = 100
LABEL_MAX = 48
_LOCK = threading.Lock()  # matplotlib is not thread-safe; Slack listeners run on a pool


@dataclass(frozen=True)
class Mark:
    id: str
    on: date
    end: date | None
    state: str  # a key of STYLES


def state(deadline: Deadline, on: date, today: date) -> str:
    if not deadline.is_open:
        return "done"  # done deadlines and milestones (what the report records as done)
    return "overdue" if on < today else "open"


def marks(
    activities: Iterable[Activity],
    deadlines: Iterable[Deadline],
    events: Mapping[str, date],
    today: date,
) -> tuple[list[tuple[Activity, list[Mark]]], list[Deadline]]:
    """Per activity in report order, its dated marks; and the open deadlines with no date yet."""
    dates = dict(events)
    by_code: dict[str, list[Mark]] = {}
    undated: list[Deadline] = []
    for dl in deadlines:
        on = dl.resolved(dates)
        if on is None:
            undated += [dl] if dl.is_open else []
            continue
        end = dl.end if dl.end and dl.event is None and dl.end > on else None
        by_code.setdefault(dl.activity.casefold(), []).append(
            Mark(dl.id, on, end, state(dl, on, today))
        )
    rows = [(a, by_code[a.code.casefold()]) for a in activities if a.code.casefold() in by_code]
    return rows, undated


def _label(a: Activity) -> str:
    text = f"{a.code} {' '.join(a.title.split())}"
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def fmt_day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def render_png(
    activities: Iterable[Activity],
    deadlines: Iterable[Deadline],
    events: Mapping[str, date],
    *,
    today: date,
    title: str = "Deadlines by activity",
) -> bytes:
    """The picture as PNG bytes; the same data and `today` give the same bytes."""
    with _LOCK:
        fig = figure(activities, deadlines, events, today=today, title=title)
        out = io.BytesIO()
        # No "Software" entry: the bytes depend on the data only, not on matplotlib's version.
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()


def fmt_short(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def figure(
    activities: Iterable[Activity],
    deadlines: Iterable[Deadline],
    events: Mapping[str, date],
    *,
    today: date,
    title: str = "Deadlines by activity",
) -> Any:
    """The laid-out matplotlib Figure (with an Agg canvas); render_png saves it."""
    rows, undated = marks(activities, deadlines, events, today)
    return _draw(rows, undated, today, title)


def _draw(
    rows: list[tuple[Activity, list[Mark]]], undated: list[Deadline], today: date, title: str
) -> Any:
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Bbox

    row_in = ROW_IN if len(rows) < DENSE_FROM else DENSE_ROW_IN
    height = min(max(3.0, 1.6 + row_in * len(rows)), MAX_HEIGHT_IN)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    days = [d for _, ms in rows for m in ms for d in (m.on, m.end) if d]
    first, last = window([today, *days]) or (today, today)
    lo, hi = padded(first, last)
    x_lo, x_hi = mdates.date2num(lo), mdates.date2num(hi)
    n = len(rows)
    labels: list[tuple[Any, str | None, Mark]] = []
    points: list[tuple[float, float]] = []
    for i, (_, ms) in enumerate(rows):
        y = n - 1 - i  # the report's first activity at the top
        for m in sorted(ms, key=lambda m: m.on):
            colour, marker, _ = STYLES[m.state]
            # Outside the window: at its edge, pointing the way, its date in the label.
            edge = "right" if m.on > last else "left" if m.on < first else None
            x = x_hi if edge == "right" else x_lo if edge == "left" else mdates.date2num(m.on)
            if m.end and m.end >= first and m.on <= last:
                start, end = max(m.on, lo), min(m.end, hi)
                ax.plot(mdates.date2num([start, end]), [y, y], color=colour, lw=5, alpha=0.5)
            shape = {"right": ">", "left": "<"}.get(edge or "", marker)
            ax.plot([x], [y], marker=shape, color=colour, markersize=9, ls="none", clip_on=False)
            points.append((x, y))
            text = m.id if edge is None else f"{m.id} · {fmt_short(m.on)}"
            label = ax.annotate(
                text,
                (x, y),
                xytext=(0, ABOVE),
                textcoords="offset points",
                fontsize=7,
                color="#333333",
                annotation_clip=False,
            )
            label.set_in_layout(False)  # placing labels must not move the axes
            labels.append((label, edge, m))
    in_window = first <= today <= last
    if in_window:
        ax.axvline(mdates.date2num(today), color=TODAY_COLOUR, ls="--", lw=1.5)
    today_x = mdates.date2num(today) if in_window else (x_hi if today > last else x_lo)
    words = f"today, {fmt_day(today)}"
    if not in_window:
        words = f"{words} →" if today > last else f"← {words}"
    ha = "left" if in_window or today < first else "right"
    today_label = ax.annotate(
        words,
        (today_x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4 if ha == "left" else -4, -12),
        textcoords="offset points",
        color=TODAY_COLOUR,
        fontsize=8,
        ha=ha,
    )
    today_label.set_in_layout(False)
    ax.set_yticks(range(n), [_label(a) for a, _ in reversed(rows)], fontsize=8)
    ax.set_ylim(-0.8, max(n - 0.2, 0.8))
    ax.set_xlim(x_lo, x_hi)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"{title} · as of {fmt_day(today)}", loc="left", fontsize=11)
    handles = [
        Line2D([], [], color=c, marker=mk, ls="none", markersize=8, label=label)
        for c, mk, label in STYLES.values()
    ]
    legend = ax.legend(handles=handles, loc="upper right", ncols=3, fontsize=8, frameon=False,
                       bbox_to_anchor=(1.0, 1.09))  # fmt: skip
    if not rows:
        ax.text(0.5, 0.5, "No dated deadlines.", transform=ax.transAxes, ha="center")

    fig.draw_without_rendering()  # lays out the axes; the labels' boxes are final from here
    renderer = canvas.get_renderer()
    placer = Placer(renderer, fig.bbox)
    for artist in (today_label, legend, ax.title):
        placer.block(artist.get_window_extent(renderer))
    radius = 9 * DPI / 72 / 2
    for px, py in ax.transData.transform(points) if points else ():
        placer.block(Bbox.from_bounds(px - radius, py - radius, 2 * radius, 2 * radius))
    slots = {None: SLOTS, "right": RIGHT_EDGE_SLOTS, "left": LEFT_EDGE_SLOTS}
    unlabelled = [m for label, edge, m in labels if not placer.place(label, slots[edge])]
    notes = []
    if undated:
        names = ", ".join(f"{d.id} ({d.rule})" for d in undated[:6])
        more = f" and {len(undated) - 6} more" if len(undated) > 6 else ""
        notes.append(f"No date yet: {names}{more}.")
    if unlabelled:
        names = ", ".join(f"{m.id} ({fmt_short(m.on)})" for m in unlabelled[:8])
        more = f" and {len(unlabelled) - 8} more" if len(unlabelled) > 8 else ""
        notes.append(f"No room for the labels of {names}{more}.")
    if notes:
        note = fig.text(0.01, 0.005, "  ".join(notes), fontsize=7, color="#555555")
        note.set_in_layout(False)
    return fig
