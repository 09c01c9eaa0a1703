"""How this fixture was written: `python make.py OUT OLD_CHECKOUT`, with brs of schema 1."""

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, sys.argv[2])  # a checkout of brs at 18093f2 (schema 1)
from jobs.ledger import Ledger
from store.bootstrap import open_store

out = Path(sys.argv[1])
tick = [datetime(2012, 8, 20, 7, 0, tzinfo=UTC)]


def clock():
    tick[0] += timedelta(minutes=1)
    return tick[0]


db = out / "brs.json"
with open_store(db, clock=clock) as s:

    def row():
        return list(s.activity("S17").rows[0].status)

    for i in range(3):
        old = row()
        s.commit(
            "U0EDITOR",
            [("activity:S17", "rows.0.status", old, [*old, f"20 August 2012 (jane): update {i}"])],
        )
    old = row()
    s.commit(
        "U0EDITOR", [("activity:S17", "rows.0.status", old, old[:-1])]
    )  # an undo: cut at the end
    old = row()
    s.commit(
        "U0EDITOR", [("activity:S17", "rows.0.status", old, ["Rewritten.", *old[1:]])]
    )  # not at the end
    s.set_event("COP-2013", date(2013, 5, 6), "U0EDITOR")
    nxt = list(s.activity("S8").rows[0].next_steps)
    s.commit(
        "U0EDITOR",
        [
            ("activity:S8", "rows.0.next_steps", nxt, [*nxt, "Ask donors."]),
            ("activity:S8", "title", s.activity("S8").title, "Renamed S8"),
        ],
    )
    s.set_setting("reminder_channel", "C0REMIND", "U0EDITOR")
    Ledger(s).snooze(
        "S17-2", date(2012, 9, 3), "U0EDITOR", datetime(2012, 8, 21, 9, 30, tzinfo=UTC)
    )
    s.put_reminder_entries(
        {"S17-2|7": {"on": "2012-08-31", "state": "sent", "channel": "C0REMIND", "ts": "1.5"}}
    )
    Ledger(s).set_last_run(datetime(2012, 8, 24, 9, 0, tzinfo=UTC))
    before = db.read_bytes()  # the TinyDB file lags behind the history from here on
    for i in range(2):
        old = row()
        s.commit(
            "U0EDITOR",
            [("activity:S17", "rows.0.status", old, [*old, f"21 August 2012 (jane): late {i}"])],
        )
db.write_bytes(before)
