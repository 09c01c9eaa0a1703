"""Server start-up and signed requests the HTTP benchmarks share (bench_http, bench_updates).

Each app under test runs in a child process of its own, built the way `brs serve` builds it
(bot.slack.serve's waitress server), and prints its port; requests are signed like Slack's.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

SECRET = "0123456789abcdef0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent
USER = "U0BENCH"

Request = tuple[bytes, dict[str, str]]


def start(entry: str, *args: str) -> tuple[subprocess.Popen, int]:
    """Run `entry` ("bench_http:serve_one") in a child with `args`; returns it and its port."""
    module, _, func = entry.partition(":")
    code = (
        f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]; "
        f"from {module} import {func}; {func}(*sys.argv[1:])"
    )
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline() if child.stdout else ""
    if not line.strip():
        child.kill()
        raise SystemExit(f"{entry} did not start")
    return child, int(line)


def stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        child.kill()
        child.wait()


def run_server(wsgi: Callable) -> None:
    """Child side: serve `wsgi` with brs's waitress settings on a free port, print the port."""
    import logging

    from bot.slack.serve import http_server

    # Under load waitress warns "Task queue depth is N" per request; queueing is measured here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = http_server(wsgi, host="127.0.0.1", port=0)
    print(server.effective_port, flush=True)
    server.run()


def serve_brs(api_url: str, db: str, editors: str = "") -> None:
    """Child side: the brs app on the store at `db`, as `brs serve` builds it."""
    from datetime import UTC, datetime

    from bot.settings import check_for_serve, from_env
    from bot.slack.app import create_app, web_client
    from bot.slack.serve import CHECKPOINT_EVERY, wsgi_app
    from store.bootstrap import open_store

    env = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "BRS_DB": db}
    settings = from_env({**env, "SLACK_API_URL": api_url, "BRS_EDITORS": editors})
    check_for_serve(settings)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    store = open_store(settings.db_path, clock=clock, checkpoint_every=CHECKPOINT_EVERY)
    app = create_app(settings, store=store, clock=clock, client=web_client(settings))
    run_server(wsgi_app(app, lambda: True))


def signed(text: str) -> Request:
    """A `/brs <text>` slash command as Slack signs it."""
    from slack_sdk.signature import SignatureVerifier

    body = urlencode(
        {
            "command": "/brs",
            "text": text,
            "user_id": USER,
            "user_name": "bench",
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


def send(conn: HTTPConnection, requests: list[Request], expect: bytes) -> list[float]:
    """Send requests one after another on one connection; seconds each, answers checked."""
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


def load(
    port: int, clients: int, count: int, text: str, expect: bytes
) -> tuple[list[float], float]:
    """`clients` threads, each sending `count` signed commands on its own keep-alive connection;
    returns each request's seconds and the wall time of the whole load."""
    times: list[float] = []
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)

    def client() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        requests = [signed(text) for _ in range(count)]  # signing is Slack's work, not timed
        start_line.wait()
        mine = send(conn, requests, expect)
        conn.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    start_line.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return times, time.perf_counter() - began


def ms(xs: list[float], q: float) -> float:
    """The q-quantile of `xs` (seconds) in milliseconds."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000
