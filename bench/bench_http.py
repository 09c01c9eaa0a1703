"""Ack latency of signed `/brs S17` over loopback HTTP: brs vs a bare Bolt app acking "ok".

Both apps run the same way (bot.slack.serve's WSGI app under waitress, each in its own process),
behind the tests' fake Slack Web API for auth.test. 20 client threads, keep-alive
connections, a bounded number of requests in alternating rounds; prints a table.

Usage: .venv/bin/python bench/run.py http      (or: .venv/bin/python bench/bench_http.py)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

CLIENTS = 20
PER_CLIENT = 25  # requests per client per round
ROUNDS = 4  # rounds per app, alternating which goes first
WARMUP = 100
SECRET = "0123456789abcdef0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent
NAMES = {"bare": "bare bolt", "brs": "brs"}
EXPECT = {"bare": b"ok", "brs": b"Review arrangements"}  # each answer is checked, not only timed


def _settings(api_url: str, db: str):
    from bot.settings import check_for_serve, from_env

    env = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET}
    settings = from_env({**env, "SLACK_API_URL": api_url, "BRS_DB": db})
    check_for_serve(settings)
    return settings


def serve_one(kind: str, api_url: str, db: str) -> None:
    """Child process: build one app, print its port, serve until killed."""
    import logging
    from datetime import UTC, datetime

    from slack_bolt import App

    from bot.slack.app import create_app, web_client
    from bot.slack.serve import http_server, wsgi_app
    from store.bootstrap import open_store

    settings = _settings(api_url, db)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    if kind == "brs":
        store = open_store(settings.db_path, clock=clock)
        app = create_app(settings, store=store, clock=clock, client=web_client(settings))
    else:
        app = App(
            name="bare",
            client=web_client(settings),
            signing_secret=SECRET,
            token_verification_enabled=False,
        )

        @app.command("/brs")
        def ok(ack) -> None:
            ack("ok")

    # At this load waitress warns "Task queue depth is N" per request; queueing is measured here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = http_server(wsgi_app(app, lambda: True), host="127.0.0.1", port=0)
    print(server.effective_port, flush=True)
    server.run()


def _signed(text: str) -> tuple[bytes, dict[str, str]]:
    from slack_sdk.signature import SignatureVerifier

    body = urlencode(
        {
            "command": "/brs",
            "text": text,
            "user_id": "U0BENCH",
            "team_id": "T0FAKE",
            "channel_id": "C0BENCH",
            "response_url": "http://127.0.0.1:9/r",
            "trigger_id": "1.1",
        }
    )
    ts = str(int(time.time()))
    sig = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
    }
    return body.encode(), headers


def _load(port: int, count: int, clients: int, expect: bytes) -> list[float]:
    """`clients` threads, each sending `count` signed requests on one connection; seconds each."""
    times: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        requests = [_signed("S17") for _ in range(count)]  # signing is Slack's work, not timed
        start.wait()
        for body, headers in requests:
            t = time.perf_counter()
            conn.request("POST", "/slack/events", body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            mine.append(time.perf_counter() - t)
            if response.status != 200 or expect not in data:
                raise SystemExit(f"bad answer {response.status}: {data[:200]!r}")
        conn.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def _ms(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


def _start(kind: str, api_url: str, tmp: str) -> tuple[subprocess.Popen, int]:
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        "from bench.bench_http import serve_one; serve_one(*sys.argv[1:])"
    )
    cmd = [sys.executable, "-c", code, kind, api_url, f"{tmp}/{kind}.json"]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    return child, int(child.stdout.readline())


def _table(title: str, results: dict[str, list[float]], wall: dict[str, float]) -> None:
    print(title)
    head = ("requests", "median ms", "p90 ms", "p99 ms", "max ms", "req/s")
    print(f"  {'app':<10}" + "".join(f"{h:>10}" for h in head))
    for kind, xs in results.items():
        cells = (statistics.median(xs) * 1000, _ms(xs, 0.90), _ms(xs, 0.99), max(xs) * 1000)
        rate = len(xs) / wall[kind]
        line = f"  {NAMES[kind]:<10}{len(xs):>10}" + "".join(f"{c:>10.2f}" for c in cells)
        print(line + f"{rate:>10.0f}")
    ratio = statistics.median(results["brs"]) / statistics.median(results["bare"])
    p99 = _ms(results["brs"], 0.99)
    print(f"  median brs / bare {ratio:.2f}x (target <= 1.10x); brs p99 {p99:.1f} ms (target < 40)")


def _measure(ports: dict[str, int], clients: int, per_client: int, rounds: int) -> None:
    results: dict[str, list[float]] = {k: [] for k in ports}
    wall = {k: 0.0 for k in ports}
    for r in range(rounds):  # alternate which app goes first, so drift hits both alike
        for kind in ("bare", "brs") if r % 2 == 0 else ("brs", "bare"):
            t = time.perf_counter()
            results[kind] += _load(ports[kind], per_client, clients, EXPECT[kind])
            wall[kind] += time.perf_counter() - t
    title = f"signed /brs S17, {clients} concurrent client{'s' if clients > 1 else ''}"
    _table(title + ", keep-alive, waitress, loopback", results, wall)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.e2e.fake_slack import FakeSlack

    fake = FakeSlack().start()
    children: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ports = {}
            for kind in ("bare", "brs"):
                child, ports[kind] = _start(kind, fake.base_url, tmp)
                children.append(child)
            for kind in ports:  # the first request calls auth.test; warm both up
                _load(ports[kind], WARMUP // 10, 10, EXPECT[kind])
            _measure(ports, clients=1, per_client=50, rounds=2)
            _measure(ports, clients=CLIENTS, per_client=PER_CLIENT, rounds=ROUNDS)
    finally:
        for child in children:
            child.kill()
            child.wait()
        fake.stop()


if __name__ == "__main__":
    main()
