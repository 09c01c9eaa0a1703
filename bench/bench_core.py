"""Import, query and console cold-start costs (issue 2's targets), medians side by side."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from timing import median_ms

# Peak memory is read by the child itself: ru_maxrss of a spawned child also counts
# the parent's pages it shared before exec, so it reports the benchmark's own size.
_PEAK = (
    "import atexit, sys; atexit.register(lambda: sys.stderr.write(next("
    "l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]))"
)


def _child(code: str, stdin: str, env: dict) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one child process running `code`."""
    cmd = [sys.executable, "-c", f"{_PEAK}\n{code}"]
    t = time.perf_counter()
    run = subprocess.run(cmd, input=stdin.encode(), capture_output=True, env=env)
    wall = time.perf_counter() - t
    if run.returncode != 0:
        raise SystemExit(f"{code!r} exited {run.returncode}: {run.stderr.decode()[-300:]}")
    return wall, int(run.stderr.decode().split()[-1]) / 1024


def main() -> None:
    from bot.answer import Answers
    from bot.grammar import parse
    from bot.queries import run
    from bot.render.results import render
    from store.bootstrap import open_store
    from store.report.reader import bundled_report_path, parse_report
    from store.repository import Store

    text = bundled_report_path().read_text(encoding="utf-8")
    clock = lambda: datetime(2012, 8, 20, 7, tzinfo=UTC)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        parse_ms = median_ms(lambda: parse_report(text, "bundled"), 50)
        n = iter(range(10**6))

        def import_fresh() -> None:
            with Store.open(tmp / f"i{next(n)}.json", clock=clock) as s:
                s.import_report(parse_report(text, "bundled"))

        import_ms = median_ms(import_fresh, 20)
        db = tmp / "brs.json"
        with open_store(db, clock=clock) as store:
            answer = Answers(store).answer
            today = date(2012, 8, 20)
            answer("S17", today=today)
            card = parse("S17")
            fresh, per_call = [], []
            for _ in range(1000):
                t = time.perf_counter()
                render(run(store, card, today=today))  # what a cache miss costs
                fresh.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                answer("S17", today=today)
                per_call.append((time.perf_counter() - t) * 1000)
            list_ms = median_ms(lambda: answer("list", today=today), 200)
            funding_ms = median_ms(lambda: answer("funding", today=today), 200)
        env = dict(os.environ, BRS_DB=str(db))
        brs = "sys.argv[1:] = ['console']\nfrom bot.cli import main\nmain()"
        floor = "import slack_sdk.models.blocks, tinydb, dateutil.parser"
        bare = "pass"
        cold: dict[str, list] = {
            "python -c pass": [],
            "import the three libraries": [],
            "brs console, /brs S17": [],
        }
        for _ in range(15):  # interleaved, so noise from the shared machine hits all three alike
            cold["python -c pass"].append(_child(bare, "", env))
            cold["import the three libraries"].append(_child(floor, "", env))
            cold["brs console, /brs S17"].append(_child(brs, "/brs S17\n", env))

    print(f"{'measure':44} {'median':>10}  target")
    print(f"{'parse the bundled report':44} {parse_ms:8.2f}ms")
    print(f"{'import it into a new store (parse + write)':44} {import_ms:8.2f}ms  < 20 ms")
    print(
        f"{'/brs S17 parse+query+render, 1,000 calls':44} {statistics.median(fresh):8.3f}ms  < 1 ms"
    )
    print(f"{'/brs S17 answer() (cached per version)':44} {statistics.median(per_call):8.3f}ms")
    print(f"{'/brs list':44} {list_ms:8.3f}ms")
    print(f"{'/brs funding':44} {funding_ms:8.3f}ms")
    for name, runs in cold.items():
        wall = statistics.median(w for w, _ in runs)
        peak = max(m for _, m in runs)
        target = "  < 0.3 s, < 50 MB" if name.startswith("brs") else ""
        print(f"{'cold start: ' + name:44} {wall:8.3f}s   peak {peak:5.1f} MB{target}")


if __name__ == "__main__":
    main()
