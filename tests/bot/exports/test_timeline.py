"""The timeline picture: a valid PNG of a sensible size, the same bytes for the same day."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import date

import pytest

from bot.exports import export_bytes
from bot.exports.timeline import marks, render_png
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
