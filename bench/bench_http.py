"""Ack latency of signed `/brs S17` over loopback HTTP: brs beside three peers, side by side.

- floor: waitress (brs's settings, same thread count) with a WSGI app that checks the Slack
  signature, reads the form and answers JSON: what any Python answer costs at least;
- bolt: a bare Bolt app acking "ok" in its default mode (it polls for the ack every 10 ms);
- bolt pbr: the same with `process_before_response=True` (the ack is the answer, no polling);
- brs: the real app (`/brs S17` answered from the store), as `brs serve` builds it.

Every app runs in a process of its own behind the tests' fake Slack Web API (auth.test); rounds
alternate which app goes first so drift hits all alike. 1 client, then 20 concurrent clients,
keep-alive connections; prints medians, tails, req/s and each median over the floor's.

Usage: .venv/bin/python bench/run.py http      (or: .venv/bin/python bench/bench_http.py)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from http.client import HTTPConnection  # noqa: E402

from serving import (  # noqa: E402
    SECRET,
    USER,
    load,
    ms,
    run_server,
    send,
    serve_brs,
    signed,
    start,
    stop,
)

CLIENTS = 20
PER_CLIENT = 25  # requests per client per round
ROUNDS = 4  # rounds per app, alternating which goes first
KINDS = ("floor", "bolt", "bolt-pbr", "brs")
NAMES = {"floor": "raw floor", "bolt": "bare bolt", "bolt-pbr": "bolt pbr", "brs": "brs"}
# Each answer is checked, not only timed.
EXPECT = {"floor": b"ok", "bolt": b"ok", "bolt-pbr": b"ok", "brs": b"Review arrangements"}


def floor_app():
    """The least a signed slash command costs: verify, parse the form, answer JSON."""
    import json
    from urllib.parse import parse_qs

    from slack_sdk.signature import SignatureVerifier

    verifier = SignatureVerifier(SECRET)

    def application(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
        ok = verifier.is_valid(
            body=body,
            timestamp=environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
            signature=environ.get("HTTP_X_SLACK_SIGNATURE", ""),
        )
        if not ok:
            start_response("401 Unauthorized", [("Content-Length", "0")])
            return [b""]
        form = parse_qs(body)
        answer = {"response_type": "ephemeral", "text": "ok", "echo": form.get("text", [""])[0]}
        data = json.dumps(answer).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        )
        return [data]

    return application


def serve_one(kind: str, api_url: str, db: str) -> None:
    """Child process: build one app, print its port, serve until killed."""
    if kind == "brs":
        serve_brs(api_url, db, USER)  # an editor, for the updates
        return
    if kind == "floor":
        run_server(floor_app())
        return
    from slack_bolt import App

    from bot.settings import from_env
    from bot.slack.app import web_client
    from bot.slack.serve import wsgi_app

    settings = from_env({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": api_url})
    app = App(
        name="bare",
        client=web_client(settings),
        signing_secret=SECRET,
        token_verification_enabled=False,
        process_before_response=kind == "bolt-pbr",
    )

    @app.command("/brs")
    def ok(ack) -> None:
        ack("ok")

    run_server(wsgi_app(app, lambda: True))


def _table(clients: int, results: dict[str, list[float]], wall: dict[str, float]) -> None:
    plural = "s" if clients > 1 else ""
    print(f"signed /brs S17, {clients} concurrent client{plural}, keep-alive, waitress, loopback")
    head = ("requests", "median ms", "p90 ms", "p99 ms", "max ms", "req/s", "/ floor")
    print(f"  {'app':<10}" + "".join(f"{h:>10}" for h in head))
    floor = statistics.median(results["floor"])
    for kind, xs in results.items():
        cells = (statistics.median(xs) * 1000, ms(xs, 0.90), ms(xs, 0.99), max(xs) * 1000)
        line = f"  {NAMES[kind]:<10}{len(xs):>10}" + "".join(f"{c:>10.2f}" for c in cells)
        ratio = statistics.median(xs) / floor
        print(line + f"{len(xs) / wall[kind]:>10.0f}{ratio:>9.1f}x")


def _measure(ports: dict[str, int], clients: int, per_client: int, rounds: int) -> None:
    results: dict[str, list[float]] = {k: [] for k in ports}
    wall = {k: 0.0 for k in ports}
    for r in range(rounds):
        for kind in KINDS if r % 2 == 0 else tuple(reversed(KINDS)):
            times, took = load(ports[kind], clients, per_client, "S17", EXPECT[kind])
            results[kind] += times
            wall[kind] += took
    _table(clients, results, wall)


def _measure_updates(ports: dict[str, int], per_round: int, rounds: int) -> None:
    """Signed `/brs update S17 <a line of its own>`, 1 client: brs commits each (history append
    and fsync) before its ack; the floor answers the same requests."""
    results: dict[str, list[float]] = {"floor": [], "brs": []}
    conns = {k: HTTPConnection("127.0.0.1", ports[k], timeout=30) for k in results}
    expect = {"floor": b"ok", "brs": b"Added to"}
    for r in range(rounds):
        for kind in ("floor", "brs") if r % 2 == 0 else ("brs", "floor"):
            requests = [signed(f"update S17 bench {r} {i}") for i in range(per_round)]
            results[kind] += send(conns[kind], requests, expect[kind])
    print("signed /brs update S17 (unique lines), 1 client, keep-alive, waitress, loopback")
    floor = statistics.median(results["floor"])
    for kind, xs in results.items():
        median = statistics.median(xs)
        print(
            f"  {NAMES[kind]:<10}{len(xs):>10}{median * 1000:>10.2f} ms"
            f"{ms(xs, 0.90):>10.2f} p90{median / floor:>9.1f}x"
        )
    for conn in conns.values():
        conn.close()


def main() -> None:
    from tests.e2e.fake_slack import FakeSlack

    fake = FakeSlack().start()
    children = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ports = {}
            for kind in KINDS:
                child, ports[kind] = start(
                    "bench_http:serve_one", kind, fake.base_url, f"{tmp}/{kind}.json"
                )
                children.append(child)
            for kind in KINDS:  # the first request calls auth.test; warm all up
                load(ports[kind], 10, 10, "S17", EXPECT[kind])
            _measure(ports, clients=1, per_client=100, rounds=2)
            _measure(ports, clients=CLIENTS, per_client=PER_CLIENT, rounds=ROUNDS)
            _measure_updates(ports, per_round=50, rounds=4)
            print(
                "  targets (issue 12): /brs S17 <= 2x and /brs update <= 5x the raw floor at "
                "1 client; bolt pbr shows what a bare Bolt app reaches acking before processing"
            )
    finally:
        stop(children)
        fake.stop()


if __name__ == "__main__":
    main()
