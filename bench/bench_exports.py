"""Export costs on the bundled report: the median time of each format, and App Home's view."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from timing import median_ms

RUNS = {"md": 50, "csv": 50, "deadlines-csv": 50, "ics": 50, "json": 50, "png": 10}


def main() -> None:
    from bot.exports import FORMATS, export_bytes
    from bot.queries.home import home_data
    from bot.render.home import home_view
    from store.bootstrap import open_store

    now = datetime(2012, 8, 20, 7, tzinfo=UTC)
    today = date(2012, 8, 20)
    with (
        tempfile.TemporaryDirectory() as tmp,
        open_store(Path(tmp) / "brs.json", clock=lambda: now) as store,
    ):
        t = time.perf_counter()
        export_bytes(store, "png", now=now, today=today)  # first use: imports matplotlib
        first_png = (time.perf_counter() - t) * 1000
        print(f"{'format':<14} {'median ms':>10} {'bytes':>8}  runs")
        for fmt in FORMATS:
            size = len(export_bytes(store, fmt, now=now, today=today))
            ms = median_ms(lambda f=fmt: export_bytes(store, f, now=now, today=today), RUNS[fmt])
            print(f"{fmt:<14} {ms:>10.2f} {size:>8}  {RUNS[fmt]}")
        print(f"png, first in a process (imports matplotlib): {first_png:.0f} ms")
        home = median_ms(lambda: home_view(home_data(store, today=today, editor=True)), 200)
        print(f"App Home view (editor, 17 activities): {home:.2f} ms median of 200")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
