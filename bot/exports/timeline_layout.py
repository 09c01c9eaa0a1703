"""Keep the timeline legible: the window of dates worth showing, and labels that never overlap.

One date years away from the rest (a 2026 deadline among 2012-2013 ones, or today long after
the report) would squeeze everything else into a sliver, so a few such dates are left out of
the window and drawn at its edge instead. Labels are placed with the renderer's own boxes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

MIN_GAP = timedelta(days=90)  # a gap shorter than this never makes an outlier
MAX_OUTLIERS = 0.2  # at most this share of the dates is pushed to the edges
MIN_PAD = timedelta(days=10)
PAD_SHARE = 0.04  # of the window, on each side, so edge marks are not on the frame

# Where a label may go around its mark, in points: (dx, dy, horizontal, vertical alignment).
ABOVE, BELOW = 6, -6
SLOTS = (
    (0, ABOVE, "center", "bottom"),
    (0, BELOW, "center", "top"),
    (5, ABOVE, "left", "bottom"),
    (5, BELOW, "left", "top"),
    (-5, ABOVE, "right", "bottom"),
    (-5, BELOW, "right", "top"),
)
RIGHT_EDGE_SLOTS = tuple(s for s in SLOTS if s[2] == "right")
LEFT_EDGE_SLOTS = tuple(s for s in SLOTS if s[2] == "left")


def window(days: Iterable[date]) -> tuple[date, date] | None:
    """The first and last date to show: all of them, unless a few at either end lie further
    from the rest than the rest spans (and at least MIN_GAP away)."""
    pts = sorted(days)
    if not pts:
        return None
    n = len(pts)
    budget = int(n * MAX_OUTLIERS)
    best = (pts[0], pts[-1])
    for a in range(budget + 1):  # a dropped at the start, b at the end
        for b in range(budget + 1 - a):
            lo, hi = a, n - 1 - b
            if hi < lo:
                continue
            span = pts[hi] - pts[lo]
            if a and not pts[lo] - pts[lo - 1] > max(span, MIN_GAP):
                continue
            if b and not pts[hi + 1] - pts[hi] > max(span, MIN_GAP):
                continue
            if span < best[1] - best[0]:
                best = (pts[lo], pts[hi])
    return best


def padded(lo: date, hi: date) -> tuple[date, date]:
    pad = max(MIN_PAD, (hi - lo) * PAD_SHARE)
    return lo - pad, hi + pad


class Placer:
    """Puts each label in the first slot where it overlaps nothing placed and stays inside the
    figure; what fits nowhere is reported, never drawn over another label."""

    def __init__(self, renderer: Any, frame: Any, obstacles: Sequence[Any] = ()) -> None:
        self._renderer = renderer
        self._frame = frame  # the figure's box: labels must stay inside it
        self.placed: list[Any] = list(obstacles)

    def _box(self, label: Any) -> Any:
        return label.get_window_extent(self._renderer).padded(1.5)

    def _inside(self, box: Any) -> bool:
        f = self._frame
        return f.x0 <= box.x0 and box.x1 <= f.x1 and f.y0 <= box.y0 and box.y1 <= f.y1

    def place(self, label: Any, slots: Sequence[tuple[int, int, str, str]] = SLOTS) -> bool:
        for dx, dy, ha, va in slots:
            label.xyann = (dx, dy)
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
            box = self._box(label)
            if self._inside(box) and not any(box.overlaps(p) for p in self.placed):
                self.placed.append(box)
                return True
        label.set_visible(False)
        return False

    def block(self, box: Any) -> None:
        """Something labels must keep clear of (a marker, the today line's words)."""
        self.placed.append(box)
