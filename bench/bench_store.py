"""The store as it grows: opening with a long history, and importing a large report.

1. Open (and close) a store holding 100 and 100,000 history records, as `brs serve` opens
   it: from the index snapshot beside the history, and, for comparison, by a full scan of
   the history (the snapshot removed; a read-only open, which writes none). Targets: the
   snapshot open <= 50 ms at 100,000 and within 1.5x of the open at 100.
2. Import a report of 170 and of 1,700 activities (the bundled 17 repeated under new codes,
   with their deadlines) into a new store. Targets: 1,700 <= 12x 170, and <= 1 s.

Usage: .venv/bin/python bench/run.py store      (or: .venv/bin/python bench/bench_store.py)
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from timing import median_ms  # noqa: E402

HISTORIES = (100, 100_000)
ACTIVITIES = (170, 1_700)
ROUNDS = 7


def _clock() -> datetime:
    return datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


def scaled(n: int):
    """The bundled report with `n` activities: its own, repeated under new codes."""
    from store.report.reader import bundled_report_path, read_report

    base = read_report(bundled_report_path())
    activities, deadlines = [], []
    for i in range(n):
        a = base.activities[i % len(base.activities)]
        code = f"S{i + 1}"
        activities.append(replace(a, code=code, order=i))
        for d in base.deadlines:
            if d.activity == a.code:
                number = d.id.rpartition("-")[2]
                deadlines.append(replace(d, id=f"{code}-{number}", activity=code))
    return replace(base, activities=tuple(activities), deadlines=tuple(deadlines), toc=())


def opens(tmp: Path) -> None:
    from bench_updates import prepare

    from bot.slack.serve import CHECKPOINT_EVERY
    from store.history import history_path
    from store.index import snapshot_path
    from store.repository import Store

    dbs = {}
    for n in HISTORIES:
        dbs[n] = tmp / f"h{n}" / "brs.json"
        prepare(dbs[n], n)
        Store.open(dbs[n], clock=_clock).close()  # as a stopped serve leaves it: snapshot written

    def open_close(db: Path, **kw) -> None:
        Store.open(db, clock=_clock, **kw).close()

    def scan(db: Path) -> None:
        snapshot = snapshot_path(history_path(db))
        kept = snapshot.with_name("kept.idx")
        shutil.copy(snapshot, kept)
        snapshot.unlink()
        try:
            open_close(db, readonly=True)
        finally:
            kept.replace(snapshot)

    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(ROUNDS):  # interleaved, so the shared machine's noise hits all alike
        for n in HISTORIES:
            for how in ("snapshot", "full scan"):
                fn = (
                    (lambda db=dbs[n]: open_close(db, checkpoint_every=CHECKPOINT_EVERY))
                    if how == "snapshot"
                    else (lambda db=dbs[n]: scan(db))
                )
                times.setdefault((how, n), []).append(median_ms(fn, 9 if how == "snapshot" else 1))
    print(f"open and close a store, as brs serve does (median of {ROUNDS} rounds' medians)")
    for how in ("snapshot", "full scan"):
        medians = {n: statistics.median(times[how, n]) for n in HISTORIES}
        cells = "".join(f"{n:>9,} records {medians[n]:8.1f} ms" for n in HISTORIES)
        ratio = medians[HISTORIES[-1]] / medians[HISTORIES[0]]
        print(f"  {how:<10}{cells}   ratio {ratio:.2f}x")
    print("  targets: snapshot open <= 50 ms at 100,000 records, <= 1.5x the open at 100")


def imports(tmp: Path) -> None:
    from store.repository import Store

    reports = {n: scaled(n) for n in ACTIVITIES}
    counter = iter(range(10**6))

    def import_fresh(n: int) -> None:
        with Store.open(tmp / f"i{next(counter)}" / "brs.json", clock=_clock) as s:
            s.import_report(reports[n])

    times: dict[int, list[float]] = {n: [] for n in ACTIVITIES}
    for _ in range(3):
        for n in ACTIVITIES:
            times[n].append(median_ms(lambda n=n: import_fresh(n), 3))
    small, big = (min(times[n]) for n in ACTIVITIES)
    deadlines = {n: len(reports[n].deadlines) for n in ACTIVITIES}
    print("import a report into a new store (parse excluded; medians)")
    for n in ACTIVITIES:
        print(f"  {n:>6,} activities, {deadlines[n]:>6,} deadlines {min(times[n]):9.1f} ms")
    print(
        f"  ratio {big / small:.1f}x (target <= 12x); 1,700 in {big / 1000:.2f} s (target <= 1 s)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        opens(Path(tmp))
        imports(Path(tmp))


if __name__ == "__main__":
    main()
