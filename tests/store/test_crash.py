"""kill -9 during checkpoints and snapshots: nothing the writer acknowledged is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from jobs.ledger import Ledger
from store.history import History, history_path
from store.index import snapshot_path
from store.repository import Store

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 6

# Checkpoints every 3 commits and a snapshot at each: a kill lands in one often.
CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[2])
    from datetime import UTC, datetime
    import store.state
    from jobs.ledger import Ledger
    from store.bootstrap import open_store

    store.state.SNAPSHOT_EVERY = 2
    s = open_store(__import__("pathlib").Path(sys.argv[1]), clock=lambda: datetime.now(UTC),
                   checkpoint_every=3)
    ledger = Ledger(s)
    name = sys.argv[3]
    for i in range(100000):
        old = list(s.activity("S17").rows[0].status)
        s.commit("U1", [("activity:S17", "rows.0.status", old, [*old, f"{name}-{i}"])])
        s.put_reminder_entries({f"{name}-{i}|0": {"on": "2012-08-31", "state": "sent"}})
        ledger.set_last_run(datetime(2012, 8, 20, tzinfo=UTC))
        print(f"{name}-{i}", flush=True)  # acknowledged: all three writes returned
    """
)


def test_kill_9_during_checkpoints_loses_nothing_acknowledged(tmp_path):
    # In the history, the database file, the index snapshot or the ledger file.
    rng = random.Random(20261201)
    db = tmp_path / "brs.json"
    acked: list[str] = []
    for round_ in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(ROOT), f"r{round_}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # started: the store is open and writing
        assert first, "the writer did not start"
        acked.append(first.strip())
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        acked += [line.strip() for line in child.stdout if line.endswith("\n")]
        child.stdout.close()

    assert len(acked) > ROUNDS * 5, "too few writes acknowledged to prove much"
    with Store.open(db) as s:
        status = s.activity("S17").rows[0].status
        entries = s.reminder_entries()
        assert [a for a in acked if a not in status] == []
        assert [a for a in acked if f"{a}|0" not in entries] == []
        assert len(status) == len(set(status))
        assert Ledger(s).last_run() is not None
        from_snapshot = s.history("S17")
    # The snapshot the kills left equals what a full scan finds.
    log = History(history_path(db), readonly=True)
    scanned = list(log.changes("activity:S17"))
    log.close()
    snapshot_path(history_path(db)).unlink()
    with Store.open(db, readonly=True) as s:
        assert s.history("S17") == from_snapshot
        assert len(scanned) == len([c for c in from_snapshot if c.target == "activity:S17"])
