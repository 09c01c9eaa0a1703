"""Signed `/brs update` over loopback HTTP as the history grows, and what the history costs.

1. One row, 1,000 updates: a fresh store (the bundled report) served as `brs serve` serves it;
   one client sends 1,000 `/brs update S17 <a line of its own>` one after another (each appends
   a unique, dated, signed line to S17's status, the record users make). Prints the history's
   size after them (target <= 1 MB) and the median of the last 50 over the first 50 (<= 1.2x).
2. Long histories: three stores holding 100, 10,000 and 100,000 history records of updates and
   undos on S17 (unique lines, so every record is a real append or trim), each served by its
   own process; rounds of updates alternate between them so drift hits all alike. Also the
   commit alone (history append and fsync) on each store.

Usage: .venv/bin/python bench/run.py updates      (or: .venv/bin/python bench/bench_updates.py)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from serving import USER, ms, send, signed, start, stop  # noqa: E402

ONE_ROW = 1_000
SIZES = (100, 10_000, 100_000)
ROUNDS = 6
PER_ROUND = 40  # updates per store per round
WARMUP = 20
BATCH = 5_000  # history records written per commit while preparing


def _records(store) -> int:
    have = len(store.history("report")) + sum(store.history_count(c) for c in store.codes())
    return have + sum(len(store.history(f"event:{e}")) for e in store.events())


def prepare(path: Path, records: int) -> None:
    """A store with the bundled report and `records` history records in all: updates of S17
    (a unique line appended) and their undos (the line cut again), as users make them."""
    from datetime import UTC, datetime

    from store.bootstrap import open_store

    with open_store(path, clock=lambda: datetime.now(UTC)) as store:
        status = list(store.activity("S17").rows[0].status)
        left, n = records - _records(store), 0
        while left > 0:
            items = []
            for _ in range(min(BATCH, left)):
                if n % 2 == 0:
                    line = f"20 August 2012 (bench): responses received from {n} parties"
                    items.append(("activity:S17", "rows.0.status", status, [*status, line]))
                else:
                    items.append(("activity:S17", "rows.0.status", items[-1][3], status))
                n += 1
            if items[-1][3] != status:  # end on an undo, so the row is as it was
                items.append(("activity:S17", "rows.0.status", items[-1][3], status))
            store.commit(USER, items)
            left -= len(items)


def commit_times(path: Path, count: int = 50) -> list[float]:
    """The store alone: one update's commit (history append and fsync), opened as serve opens it."""
    from datetime import UTC, datetime

    from bot.slack.serve import CHECKPOINT_EVERY
    from store.repository import Store

    times = []
    with Store.open(path, clock=lambda: datetime.now(UTC), checkpoint_every=CHECKPOINT_EVERY) as s:
        for i in range(count):
            old = list(s.activity("S17").rows[0].status)
            t = time.perf_counter()
            s.commit(USER, [("activity:S17", "rows.0.status", old, [*old, f"commit {i}"])])
            times.append(time.perf_counter() - t)
    return times


def _updates(conn: HTTPConnection, tag: str, count: int) -> list[float]:
    requests = [signed(f"update S17 bench {tag} {i}") for i in range(count)]
    return send(conn, requests, b"Added to")


def one_row(api_url: str, tmp: Path) -> None:
    from store.bootstrap import open_store
    from store.history import history_path

    db = tmp / "one" / "brs.json"
    open_store(db, clock=_now).close()
    start_size = os.path.getsize(history_path(db))
    child, port = start("serving:serve_brs", api_url, str(db), USER)
    try:
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        times = _updates(conn, "one-row", ONE_ROW)
    finally:
        stop([child])
    size = os.path.getsize(history_path(db))
    first, last = statistics.median(times[:50]) * 1000, statistics.median(times[-50:]) * 1000
    print(f"{ONE_ROW:,} signed /brs update S17 (unique lines), one client, a fresh store")
    print(
        f"  history {size / 1e6:.2f} MB after them (target <= 1 MB): "
        f"{(size - start_size) / ONE_ROW:.0f} bytes an update"
    )
    print(
        f"  median of updates 1-50 {first:.2f} ms, of {ONE_ROW - 49}-{ONE_ROW} {last:.2f} ms: "
        f"{last / first:.2f}x (target <= 1.2x)"
    )


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def long_histories(api_url: str, tmp: Path) -> None:
    from store.history import history_path

    dbs = {}
    for n in SIZES:
        t = time.perf_counter()
        dbs[n] = tmp / str(n) / "brs.json"
        prepare(dbs[n], n)
        print(f"  prepared {n:>7,} history records in {time.perf_counter() - t:.1f} s", flush=True)
    commits = {n: commit_times(db) for n, db in dbs.items()}
    children = []
    try:
        conns = {}
        for n, db in dbs.items():
            child, port = start("serving:serve_brs", api_url, str(db), USER)
            children.append(child)
            conns[n] = HTTPConnection("127.0.0.1", port, timeout=30)
            _updates(conns[n], "warmup", WARMUP)  # the first request also calls auth.test
        times: dict[int, list[float]] = {n: [] for n in SIZES}
        reads: dict[int, list[float]] = {n: [] for n in SIZES}
        for r in range(ROUNDS):
            for n in SIZES if r % 2 == 0 else tuple(reversed(SIZES)):
                times[n] += _updates(conns[n], f"r{r}", PER_ROUND)
                card = [signed("S17") for _ in range(PER_ROUND // 4)]
                reads[n] += send(conns[n], card, b"Review arrangements")
    finally:
        stop(children)
    sizes = {n: os.path.getsize(history_path(db)) for n, db in dbs.items()}
    _report(times, reads, commits, sizes)


def _report(times, reads, commits, sizes) -> None:
    print("signed /brs update S17, one client, keep-alive, waitress, loopback")
    head = ("updates", "median ms", "p90 ms", "max ms", "/brs S17 ms", "commit ms", "history MB")
    print(f"  {'history':>10}" + "".join(f"{h:>12}" for h in head))
    for n, xs in times.items():
        cells = (
            statistics.median(xs) * 1000,
            ms(xs, 0.9),
            max(xs) * 1000,
            statistics.median(reads[n]) * 1000,
            statistics.median(commits[n]) * 1000,
            sizes[n] / 1e6,
        )
        print(f"  {n:>10,}{len(xs):>12}" + "".join(f"{c:>12.2f}" for c in cells))
    small, big = statistics.median(times[SIZES[0]]), statistics.median(times[SIZES[-1]])
    print(f"  median at {SIZES[-1]:,} / at {SIZES[0]:,}: {big / small:.2f}x (target <= 1.2x)")
    print(
        "  (/brs S17: a read on the same server; commit: the store alone, history append and "
        "fsync; Bolt's default mode polls every 10 ms for the ack, which sets the floor here)"
    )


def main() -> None:
    from tests.e2e.fake_slack import FakeSlack

    fake = FakeSlack().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            one_row(fake.base_url, Path(tmp))
            long_histories(fake.base_url, Path(tmp))
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
