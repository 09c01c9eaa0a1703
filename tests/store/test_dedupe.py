"""The seen window: once per key within the window, kept on disk, bounded, pruned by age."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jobs.clock import SimClock
from store.dedupe import COMPACT_AT, SeenWindow, seen_path

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_a_key_is_handled_once_and_again_after_a_release(tmp_path: Path) -> None:
    seen = SeenWindow(tmp_path / "s.jsonl", clock=lambda: T0)

    assert seen.claim("ev:1") is True
    assert seen.claim("ev:1") is False  # being handled: a concurrent retry waits it out
    seen.release("ev:1")  # handling failed
    assert seen.claim("ev:1") is True
    seen.done("ev:1")
    assert seen.claim("ev:1") is False


def test_the_window_survives_a_restart_and_forgets_after_it(tmp_path: Path) -> None:
    clock = SimClock(T0)
    path = seen_path(tmp_path / "brs.json")
    first = SeenWindow(path, clock=clock, window=timedelta(hours=1))
    first.claim("ev:1")
    first.done("ev:1")
    first.close()

    clock.set(T0 + timedelta(minutes=59))
    again = SeenWindow(path, clock=clock, window=timedelta(hours=1))
    assert again.claim("ev:1") is False
    clock.set(T0 + timedelta(minutes=61))
    assert again.claim("ev:1") is True
    assert path.name == "brs.seen.jsonl"


def test_a_line_cut_short_by_a_crash_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    whole = json.dumps({"k": "ev:1", "t": T0.timestamp()})
    path.write_text(whole + '\n{"k": "ev:2", "t')

    seen = SeenWindow(path, clock=lambda: T0)

    assert seen.claim("ev:1") is False and seen.claim("ev:2") is True


def test_it_is_bounded_and_rewritten_without_what_expired(tmp_path: Path) -> None:
    clock = SimClock(T0)
    path = tmp_path / "s.jsonl"
    seen = SeenWindow(path, clock=clock, window=timedelta(minutes=10), limit=50)
    for i in range(COMPACT_AT + 100):
        clock.set(T0 + timedelta(seconds=i))
        seen.claim(f"ev:{i}")
        seen.done(f"ev:{i}")

    assert len(seen) == 50  # the newest 50
    assert seen.claim(f"ev:{COMPACT_AT + 99}") is False and seen.claim("ev:0") is True
    assert len(path.read_text().splitlines()) < COMPACT_AT + 60  # compacted along the way
    seen.close()
    assert len(SeenWindow(path, clock=clock, limit=50)) == 50


def test_threads_claiming_the_same_key_get_it_once(tmp_path: Path) -> None:
    seen = SeenWindow(tmp_path / "s.jsonl", clock=lambda: T0)
    wins = []
    barrier = threading.Barrier(8)

    def race() -> None:
        barrier.wait()
        wins.append(seen.claim("ev:race"))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 1


def test_a_file_that_cannot_be_written_is_reported_and_memory_still_holds(tmp_path) -> None:
    seen = SeenWindow(tmp_path / "s.jsonl", clock=lambda: T0)
    (tmp_path / "s.jsonl").unlink()
    assert "deleted" in (seen.health() or "")

    blocked = tmp_path / "not-a-dir"
    blocked.write_text("")
    stuck = SeenWindow(blocked / "s.jsonl", clock=lambda: T0)  # its folder is a file
    stuck.claim("ev:1")
    stuck.done("ev:1")
    assert "cannot be written" in (stuck.health() or "")
    assert stuck.claim("ev:1") is False
