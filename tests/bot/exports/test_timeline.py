"""The timeline picture: a valid PNG of a sensible size, the same bytes for the same day."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import date

import pytest

from bot.exports import export_bytes
from bot.exports.timeline import figure, marks, render_png
from store.repository import Store
from tests.store.bundled import NOW, TODAY, bundled_store
from tests.store.factories import activity, deadline

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with bundled_store(tmp_path_factory.mktemp("png")) as s:
        yield s


def size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a PNG must start with."""
    assert png[:8] == SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    return struct.unpack(">II", png[16:24])


def test_the_bundled_reports_timeline_is_a_png_of_sensible_size(store: Store) -> None:
    png = export_bytes(store, "png", now=NOW, today=TODAY)

    width, height = size(png)
    assert width == 1200
    assert 300 <= height <= 1000
    assert png.endswith(b"IEND\xaeB`\x82")
    assert 10_000 < len(png) < 500_000


def test_the_same_day_gives_the_same_picture_and_another_day_another(store: Store) -> None:
    first = export_bytes(store, "png", now=NOW, today=TODAY)

    assert export_bytes(store, "png", now=NOW, today=TODAY) == first
    assert export_bytes(store, "png", now=NOW, today=date(2012, 9, 5)) != first


def test_deadlines_are_done_open_or_overdue_as_of_today(store: Store) -> None:
    rows, undated = marks(store.activities(), store.deadlines(), store.events(), TODAY)

    states = {m.id: m.state for _, ms in rows for m in ms}
    assert states["S17-1"] == "overdue"  # 30 April 2012, not marked done
    assert states["S17-2"] == "open"
    assert states["S17-5"] == "done"  # a milestone: what the report records as done
    assert undated == []
    later = marks(store.activities(), store.deadlines(), store.events(), date(2012, 9, 1))[0]
    assert {m.id: m.state for _, ms in later for m in ms}["S17-2"] == "overdue"


def test_a_long_report_stays_a_sensible_size_and_an_empty_one_still_draws() -> None:
    many = [activity(f"S{i}", i) for i in range(1, 201)]
    dls = [deadline(f"S{i}-1", date(2012, 1 + i % 12, 1 + i % 28)) for i in range(1, 201)]
    undated = [deadline("S1-2", None, event="COP-2099", offset_days=-5)]

    width, height = size(render_png(many, dls + undated, {}, today=TODAY))
    assert width == 1200 and height <= 6000

    assert size(render_png([], [], {}, today=TODAY))[0] == 1200


def _with_far_deadline(store: Store) -> list:
    far = deadline("S17-9", date(2026, 3, 3), "a review far away")
    return [*store.deadlines(), far]


def _labels(fig) -> list:
    (ax,) = fig.axes
    return [t for t in ax.texts if t.get_visible() and t.get_text()]


def test_one_far_away_deadline_is_drawn_at_the_edge_without_squashing_the_rest(
    store: Store,
) -> None:
    from matplotlib import dates as mdates

    fig = figure(store.activities(), _with_far_deadline(store), store.events(), today=TODAY)
    fig.canvas.draw()  # as savefig does
    (ax,) = fig.axes

    lo, hi = (mdates.num2date(x).date() for x in ax.get_xlim())
    assert date(2011, 12, 1) < lo <= date(2012, 2, 20)  # S14-1, March 2012, near the left
    assert date(2013, 12, 31) <= hi < date(2014, 4, 1)  # S15-1, end of 2013: 2026 is not in
    far = [t for t in _labels(fig) if t.get_text().startswith("S17-9")]
    assert [t.get_text() for t in far] == ["S17-9 · 3 Mar 2026"]
    x_far, _ = far[0].xy
    assert x_far == ax.get_xlim()[1]  # at the right edge, its date in the label
    assert all(t.get_text() != "S17-2" or t.xy[0] < x_far for t in _labels(fig))


def test_labels_never_overlap_each_other_and_stay_in_the_picture(store: Store) -> None:
    crowded = [
        *_with_far_deadline(store),
        # Seven deadlines within a week on one activity: they cannot all sit side by side.
        *(deadline(f"S9-{n}", date(2012, 9, n), "webinar") for n in range(2, 9)),
    ]
    fig = figure(store.activities(), crowded, store.events(), today=date(2012, 9, 5))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()

    texts = _labels(fig) + [*fig.texts]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for i, (a, box_a) in enumerate(boxes):
        assert fig.bbox.x0 <= box_a.x0 and box_a.x1 <= fig.bbox.x1, a
        for b, box_b in boxes[i + 1 :]:
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"
    ids = {t.get_text() for t in _labels(fig)}
    footnote = " ".join(t.get_text() for t in fig.texts)
    # Every mark is labelled, or named in the footnote because there was no room.
    for n in range(2, 9):
        assert f"S9-{n}" in ids or f"S9-{n} (" in footnote
    assert "today, 5 September 2012" in ids


def test_today_long_after_the_report_is_marked_at_the_edge(store: Store) -> None:
    from matplotlib import dates as mdates

    fig = figure(store.activities(), store.deadlines(), store.events(), today=date(2026, 12, 1))
    (ax,) = fig.axes
    assert mdates.num2date(ax.get_xlim()[1]).date() < date(2014, 6, 1)
    assert "today, 1 December 2026 →" in {t.get_text() for t in _labels(fig)}
    assert not ax.lines or all(line.get_linestyle() != "--" for line in ax.lines)
