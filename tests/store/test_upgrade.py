"""A schema 1 store (data/schema1) opened by this brs: every record keeps its effect."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jobs.ledger import Ledger
from store import model
from store.documents import Work, split_target
from store.history import history_path
from store.ledgerfile import ledger_path
from store.repository import Store

FIXTURE = Path(__file__).parent / "data" / "schema1"
NOW = datetime(2012, 9, 1, 7, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path) -> Path:
    for name in ("brs.json", "brs.history.jsonl"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    return tmp_path / "brs.json"


def original_records() -> list[dict]:
    return [json.loads(line) for line in (FIXTURE / "brs.history.jsonl").read_text().splitlines()]


def replayed(records: list[dict]) -> dict:
    """The documents the schema 1 records make, applied the way schema 1 applied them."""
    work = Work({kind: {} for kind in ("activity", "deadline", "event", "setting", "report")})
    for r in records:
        work.apply(split_target(r["target"]), r["field"], r["new"])
    return work.values


def test_every_record_keeps_its_effect_and_the_history_gets_deltas(path):
    before = original_records()
    assert json.loads(path.read_text())["meta"]["1"]["applied_seq"] < before[-1]["seq"]
    with Store.open(path, clock=lambda: NOW) as s:
        docs = replayed(before)
        assert s.activities() == sorted(
            (model.activity_from_dict(v) for (k, _), v in docs.items() if k == "activity"),
            key=lambda a: (a.order, a.code),
        )
        assert s.events() == {"COP-2013": date(2013, 5, 6)}
        assert s.setting("reminder_channel") == "C0REMIND"
        for r in before:  # each record, read back, says what it said before
            read = next(c for c in s.history(r["target"]) if c.seq == r["seq"])
            assert (read.field, read.old, read.new, read.user, read.at, read.batch) == (
                r["field"],
                r["old"],
                r["new"],
                r["user"],
                r["at"],
                r["end"],
            )
    after = [json.loads(line) for line in history_path(path).read_text().splitlines()]
    ops = [r.get("op", "set") for r in after]
    assert ops.count("append") == 6 and ops.count("trim") == 1  # the rewrite is a "set"
    assert [r["seq"] for r in after[: len(before)]] == [r["seq"] for r in before]
    assert history_path(path).stat().st_size < (FIXTURE / "brs.history.jsonl").stat().st_size


def test_the_reminder_bookkeeping_leaves_the_database_and_the_snooze_joins_the_history(path):
    with Store.open(path, clock=lambda: NOW) as s:
        assert s.snoozes() == {"S17-2": date(2012, 9, 3)}
        (snooze,) = s.history("snooze:S17-2")
        assert (snooze.user, snooze.at, snooze.new) == (
            "U0EDITOR",
            "2012-08-21T09:30:00Z",
            "2012-09-03",
        )
        ledger = Ledger(s)
        assert ledger.last_run() == datetime(2012, 8, 24, 9, 0, tzinfo=UTC)
        assert ledger.snapshot().entry("S17-2|7").ts == "1.5"
        assert ledger.snapshot().snoozes() == {"S17-2": date(2012, 9, 3)}
    tables = json.loads(path.read_text())
    assert "reminders" not in tables
    assert tables["meta"]["1"] == {"schema_version": 2, "applied_seq": snooze.seq}
    assert ledger_path(path).exists()
    with Store.open(path, clock=lambda: NOW) as s:  # and again: nothing moves twice
        assert [c.seq for c in s.history("snooze:S17-2")] == [snooze.seq]
        assert Ledger(s).snapshot().entry("S17-2|7").ts == "1.5"


def test_a_read_only_open_of_a_schema_1_store_reads_it_as_it_is(path):
    size = history_path(path).stat().st_size
    with Store.open(path, readonly=True, clock=lambda: NOW) as s:
        assert s.activity("S17").rows[0].status[-1].endswith("late 1")
        assert Ledger(s).snapshot().snoozes() == {"S17-2": date(2012, 9, 3)}
        assert Ledger(s).last_run() == datetime(2012, 8, 24, 9, 0, tzinfo=UTC)
    assert history_path(path).stat().st_size == size
    assert json.loads(path.read_text())["meta"]["1"]["schema_version"] == 1


def test_an_upgrade_cut_short_is_done_again_on_the_next_open(path, monkeypatch):
    import store.state

    real = store.state.write_checkpoint

    def crash(storage, docs, meta_id, meta, drop=()):
        if drop:  # the last step: the process dies before the database says schema 2
            raise KeyboardInterrupt
        real(storage, docs, meta_id, meta, drop)

    monkeypatch.setattr(store.state, "write_checkpoint", crash)
    with pytest.raises(KeyboardInterrupt):
        Store.open(path, clock=lambda: NOW)
    monkeypatch.undo()
    assert json.loads(path.read_text())["meta"]["1"]["schema_version"] == 1
    with Store.open(path, clock=lambda: NOW) as s:
        assert len(s.history("snooze:S17-2")) == 1
        assert s.snoozes() == {"S17-2": date(2012, 9, 3)}
        assert s.activity("S17").rows[0].status[-1].endswith("late 1")
