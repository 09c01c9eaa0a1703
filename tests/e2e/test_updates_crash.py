"""kill -9 of `brs serve` during `/brs update`s: every acknowledged update survives."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from http.client import HTTPException
from pathlib import Path

from jobs.ledger import Ledger
from store.history import history_path
from store.index import snapshot_path
from store.repository import Store
from tests.e2e.conftest import env_for
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SECRET, Slack
from tests.e2e.test_serve import BRS

ROUNDS = 5
CLIENTS = 4
EDITOR = "U0EDITOR"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(port: int) -> bool:
    url = f"http://127.0.0.1:{port}/healthz"
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as r:
        return r.status == 200
    return False


def _start(env: dict[str, str], port: int) -> subprocess.Popen:
    serve = subprocess.Popen(
        [*BRS, "serve"],
        env={**env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not _healthy(port):
        if serve.poll() is not None or time.monotonic() > deadline:
            serve.kill()
            raise AssertionError(f"brs serve did not start: {serve.stderr.read().decode()[-2000:]}")
        time.sleep(0.05)
    return serve


def _spray(slack: Slack, name: str, acked: list[str], stop: threading.Event) -> None:
    """Send updates one after another until the server goes away; keep what was acknowledged."""
    n = 0
    while not stop.is_set():
        text = f"{name}-{n}"
        n += 1
        try:
            answer = slack.command(f"update S17 {text}", user=EDITOR)
        except (OSError, HTTPException):  # died with the server, maybe mid-answer: not promised
            return
        if answer.status == 200 and "Added to" in answer.body.decode():
            acked.append(text)


def test_every_acknowledged_update_survives_kill_9(tmp_path: Path, fake_slack: FakeSlack):
    rng = random.Random(20261127)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRS_", "PORT"))}
    db = tmp_path / "brs.json"
    env = {**base, **env_for(fake_slack, str(db)), "BRS_EDITORS": EDITOR}
    acked: list[str] = []
    for round_ in range(ROUNDS):
        port = _free_port()
        serve = _start(env, port)  # a store killed last round loads again
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", fake_slack, SECRET)
        stop = threading.Event()
        clients = [
            threading.Thread(target=_spray, args=(slack, f"r{round_}c{c}", acked, stop))
            for c in range(CLIENTS)
        ]
        for t in clients:
            t.start()
        time.sleep(rng.uniform(0.3, 1.5))  # a random moment, mid-write or between writes
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=10)
        stop.set()
        for t in clients:
            t.join(timeout=15)

    assert len(acked) > ROUNDS * 10, "the server acknowledged too few updates to prove much"
    # Slack's user_name ("asker" in these requests) signs each line.
    with Store.open(db) as store:  # loads, and replays what the TinyDB file had not caught up
        status = store.activity("S17").rows[0].status
        records = store.history("S17")
        assert Ledger(store).last_run() is not None  # each start wrote it to the ledger file
    assert snapshot_path(history_path(db)).exists()
    snapshot_path(history_path(db)).unlink()  # what a full scan finds is what the snapshot said
    with Store.open(db, readonly=True) as store:
        assert store.history("S17") == records
    lines = [x.partition(" (asker): ")[2] for x in status if " (asker): " in x]
    counts = Counter(lines)
    missing = [t for t in acked if counts[t] == 0]
    assert missing == []
    assert [t for t, n in counts.items() if n > 1] == []
