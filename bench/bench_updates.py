"""Latency of signed `/brs update` over loopback HTTP with 100, 10,000 and 100,000 history records.

Three stores are prepared with the bundled report and then update-like history records on
S17 (its status lines with one line more, and back), each served by its own process the way
`brs serve` serves (waitress, the store checkpointed as serve opens it). One client sends
updates one after another on a keep-alive connection, rounds alternating between the three
stores so drift hits all alike. Also prints the store's size on disk per 10,000 records.

Usage: .venv/bin/python bench/run.py updates      (or: .venv/bin/python bench/bench_updates.py)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

SIZES = (100, 10_000, 100_000)
ROUNDS = 6
PER_ROUND = 40  # updates per store per round
WARMUP = 20
BATCH = 5_000  # history records written per commit while preparing
SECRET = "0123456789abcdef0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent


def prepare(path: Path, records: int) -> None:
    """A store with the bundled report and `records` history records in all."""
    from datetime import UTC, datetime

    from store.bootstrap import open_store

    with open_store(path, clock=lambda: datetime.now(UTC)) as store:
        status = list(store.activity("S17").rows[0].status)
        longer = [*status, "20 August 2012 (U0BENCH): Responses received from 40 parties"]
        have = len(store.history("report")) + sum(store.history_count(c) for c in store.codes())
        have += sum(len(store.history(f"event:{e}")) for e in store.events())
        left, flip = records - have, False
        while left > 0:
            items = []
            for _ in range(min(BATCH, left)):
                old, new = (longer, status) if flip else (status, longer)
                items.append(("activity:S17", "rows.0.status", old, new))
                flip = not flip
            store.commit("U0BENCH", items)
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
            s.commit("U0BENCH", [("activity:S17", "rows.0.status", old, [*old, f"commit {i}"])])
            times.append(time.perf_counter() - t)
    return times


def serve_one(api_url: str, db: str) -> None:
    """Child process: the brs app on the prepared store, as `brs serve` builds it."""
    import logging
    from datetime import UTC, datetime

    from bot.settings import check_for_serve, from_env
    from bot.slack.app import create_app, web_client
    from bot.slack.serve import CHECKPOINT_EVERY, http_server, wsgi_app
    from store.bootstrap import open_store

    env = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "BRS_DB": db}
    settings = from_env({**env, "SLACK_API_URL": api_url, "BRS_EDITORS": "U0BENCH"})
    check_for_serve(settings)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    store = open_store(settings.db_path, clock=clock, checkpoint_every=CHECKPOINT_EVERY)
    app = create_app(settings, store=store, clock=clock, client=web_client(settings))
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = http_server(wsgi_app(app, lambda: True), host="127.0.0.1", port=0)
    print(server.effective_port, flush=True)
    server.run()


def _signed(text: str) -> tuple[bytes, dict[str, str]]:
    from slack_sdk.signature import SignatureVerifier

    form = {
        "command": "/brs",
        "text": text,
        "user_id": "U0BENCH",
        "user_name": "bench",
        "team_id": "T0FAKE",
        "channel_id": "C0BENCH",
        "response_url": "http://127.0.0.1:9/r",
        "trigger_id": "1.1",
    }
    body = urlencode(form)
    ts = str(int(time.time()))
    sig = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
    }
    return body.encode(), headers


def _updates(conn: HTTPConnection, tag: str, count: int, text: str = "") -> list[float]:
    """`count` updates (or `text` commands, such as a read) one after another; seconds each."""
    texts = [text or f"update S17 bench {tag} {i}" for i in range(count)]
    requests = [_signed(t) for t in texts]  # signing is Slack's work, not timed
    expect = b"Review arrangements" if text else b"Added to"
    times = []
    for body, headers in requests:
        t = time.perf_counter()
        conn.request("POST", "/slack/events", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        times.append(time.perf_counter() - t)
        if response.status != 200 or expect not in data:
            raise SystemExit(f"bad answer {response.status}: {data[:300]!r}")
    return times


def _start(api_url: str, db: Path) -> tuple[subprocess.Popen, int]:
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        "from bench.bench_updates import serve_one; serve_one(*sys.argv[1:])"
    )
    child = subprocess.Popen([sys.executable, "-c", code, api_url, str(db)], stdout=subprocess.PIPE)
    return child, int(child.stdout.readline())


def _ms(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from store.history import history_path
    from tests.e2e.fake_slack import FakeSlack

    fake = FakeSlack().start()
    children: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            dbs = {}
            for n in SIZES:
                t = time.perf_counter()
                dbs[n] = Path(tmp) / str(n) / "brs.json"
                prepare(dbs[n], n)
                took = time.perf_counter() - t
                print(f"  prepared {n:>7,} history records in {took:.1f} s", flush=True)
            sizes = {
                n: (os.path.getsize(db), os.path.getsize(history_path(db))) for n, db in dbs.items()
            }
            commits = {n: commit_times(db) for n, db in dbs.items()}
            conns = {}
            for n, db in dbs.items():
                child, port = _start(fake.base_url, db)
                children.append(child)
                conns[n] = HTTPConnection("127.0.0.1", port, timeout=30)
                _updates(conns[n], "warmup", WARMUP)  # the first request also calls auth.test
            times: dict[int, list[float]] = {n: [] for n in SIZES}
            reads: dict[int, list[float]] = {n: [] for n in SIZES}
            for r in range(ROUNDS):
                order = SIZES if r % 2 == 0 else tuple(reversed(SIZES))
                for n in order:
                    times[n] += _updates(conns[n], f"r{r}", PER_ROUND)
                    reads[n] += _updates(conns[n], "", PER_ROUND // 4, text="S17")
            _report(times, reads, commits, sizes)
    finally:
        for child in children:
            child.kill()
            child.wait()
        fake.stop()


def _report(
    times: dict[int, list[float]],
    reads: dict[int, list[float]],
    commits: dict[int, list[float]],
    sizes: dict[int, tuple[int, int]],
) -> None:
    print("signed /brs update S17, one client, keep-alive, waitress, loopback")
    head = ("updates", "median ms", "p90 ms", "max ms", "/brs S17 ms", "commit ms")
    print(f"  {'history':>10}" + "".join(f"{h:>12}" for h in head))
    for n, xs in times.items():
        cells = (
            statistics.median(xs) * 1000,
            _ms(xs, 0.9),
            max(xs) * 1000,
            statistics.median(reads[n]) * 1000,
            statistics.median(commits[n]) * 1000,
        )
        print(f"  {n:>10,}{len(xs):>12}" + "".join(f"{c:>12.2f}" for c in cells))
    print(
        "  (/brs S17: a read on the same server; commit: the store alone, history append and "
        "fsync. Bolt's default mode polls every 10 ms for a listener's ack, which sets the floor "
        "for reads and updates alike)"
    )
    small, big = statistics.median(times[SIZES[0]]), statistics.median(times[SIZES[-1]])
    print(
        f"  median at {SIZES[-1]:,} / at {SIZES[0]:,}: {big / small:.2f}x (target <= 1.2x); "
        f"{big * 1000:.1f} ms (target < 10)"
    )
    n = SIZES[-1]
    per = (sizes[n][1] - sizes[SIZES[0]][1]) / (n - SIZES[0]) * 10_000
    print(
        f"  on disk: {per / 1e6:.1f} MB of history per 10,000 update records like these "
        f"(S17's {sizes[n][1] // n:,} bytes a record: old and new lines); "
        f"the TinyDB file stays {sizes[n][0] / 1e3:.0f} kB"
    )


if __name__ == "__main__":
    main()
