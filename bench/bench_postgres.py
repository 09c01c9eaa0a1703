"""`/brs S17` and `/brs update` latency, TinyDB beside PostgreSQL, 1 client and 20 clients, and
two `brs serve` processes on one database behind a round-robin client.

Each setup is real `brs serve` processes (HTTP on loopback, against the fake Slack); a client
is a thread with its own keep-alive connection sending signed commands one after another.
PostgreSQL: BRS_BENCH_DATABASE_URL, else a throw-away cluster (as the tests start one).

Usage: .venv/bin/python bench/run.py postgres      (or: .venv/bin/python bench/bench_postgres.py)
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "0123456789abcdef0123456789abcdef"
PER_CLIENT = {1: 150, 20: 15}  # requests each client sends
WARMUP = 10
BRS = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(api_url: str, count: int, db: Path, url: str | None) -> Iterator[list[int]]:
    """`count` brs serve processes on the TinyDB file `db`, or on the database `url`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRS_"))}
    base.pop("DATABASE_URL", None)
    env = {
        **base,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "BRS_DB": str(db),
        "BRS_EDITORS": "U0BENCH",
        **({"DATABASE_URL": url} if url else {}),
    }
    ports = [_port() for _ in range(count)]
    procs = [
        subprocess.Popen(
            BRS + ["serve"], env={**env, "PORT": str(p)}, stderr=subprocess.DEVNULL, cwd=ROOT
        )
        for p in ports
    ]
    try:
        for port in ports:
            _wait(port)
        yield ports
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            conn = HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.1)
    raise SystemExit(f"brs serve on port {port} never became healthy")


def _client(ports: list[int], first: int, texts: list[str], out: list[float], busy: list[int]):
    from bench.serving import signed as _signed

    conns = [HTTPConnection("127.0.0.1", p, timeout=30) for p in ports]
    for i, text in enumerate(texts):
        conn = conns[(first + i) % len(conns)]  # round robin over the processes
        body, headers = _signed(text)
        t = time.perf_counter()
        conn.request("POST", "/slack/events", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        out.append(time.perf_counter() - t)
        expect = b"Added to" if text.startswith("update") else b"Review arrangements"
        if response.status != 200:
            raise SystemExit(f"bad answer {response.status}: {data[:200]!r}")
        if expect not in data:
            busy.append(1)  # refused (busy) or wrong: counted, shown beside the figures


def run(ports: list[int], command: str, clients: int) -> tuple[list[float], int, float]:
    def texts(c: int, n: int) -> list[str]:
        # Unique across phases too: the same text signed in the same second is an exact
        # replay, which brs answers "already handled" without applying it.
        tag = f"{clients}x{time.monotonic_ns()}"
        return [
            command if command == "S17" else f"update S17 bench {tag} {c}-{i}" for i in range(n)
        ]

    _client(ports, 0, texts(99, WARMUP), [], [])
    times: list[float] = []
    busy: list[int] = []
    threads = [
        threading.Thread(
            target=_client, args=(ports, c, texts(c, PER_CLIENT[clients]), times, busy)
        )
        for c in range(clients)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, len(busy), time.perf_counter() - start


def _ms(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


@contextlib.contextmanager
def _database() -> Iterator[str | None]:
    given = os.environ.get("BRS_BENCH_DATABASE_URL")
    if given:
        yield given
        return
    from tests.store.backends.server import throwaway_cluster

    try:
        with throwaway_cluster() as url:
            yield url
    except BaseException as e:  # pytest.skip: no PostgreSQL here
        if type(e).__name__ != "Skipped":
            raise
        print(f"PostgreSQL: skipped ({e})")
        yield None


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.e2e.fake_slack import FakeSlack
    from tests.store.backends.server import fresh_schema

    fake = FakeSlack().start()
    rows: list[tuple[str, str, int, list[float], int, float]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp, _database() as server:
            setups: list[tuple[str, int, str | None]] = [("TinyDB, 1 process", 1, None)]
            if server:
                setups += [
                    ("PostgreSQL, 1 process", 1, server),
                    ("PostgreSQL, 2 processes", 2, server),
                ]
            for n, (name, count, srv) in enumerate(setups):
                with contextlib.ExitStack() as stack:
                    url = stack.enter_context(fresh_schema(srv)) if srv else None
                    ports = stack.enter_context(
                        serving(fake.base_url, count, Path(tmp) / f"{n}.json", url)
                    )
                    for command in ("S17", "update"):
                        for clients in (1, 20):
                            times, busy, wall = run(ports, command, clients)
                            rows.append((name, command, clients, times, busy, wall))
    finally:
        fake.stop()
    print(
        f"{'setup':<26} {'command':<12} {'clients':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}"
    )
    for name, command, clients, times, busy, wall in rows:
        note = f"  ({busy} refused as busy)" if busy else ""
        print(
            f"{name:<26} {'/brs ' + command:<12} {clients:>7} {_ms(times, 0.5):>10.1f} "
            f"{_ms(times, 0.95):>8.1f} {len(times) / wall:>7.0f}{note}"
        )


if __name__ == "__main__":
    main()
