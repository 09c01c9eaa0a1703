"""The ledger file: one appended line a write, torn tails dropped, rewritten to what it holds."""

from __future__ import annotations

import json

import pytest

from store.ledgerfile import SLACK, LedgerFile
from store.storage import StoreError


def test_writes_survive_a_reopen_and_none_removes(tmp_path):
    path = tmp_path / "brs.ledger.jsonl"
    ledger = LedgerFile(path)
    ledger.write({"a|7": {"state": "sending"}}, {"scheduler_last_run": "2012-08-20T09:00:00"})
    ledger.write({"a|7": {"state": "sent"}, "b|0": {"state": "skipped"}})
    ledger.write({"b|0": None}, {"scheduler_last_run": "2012-08-21T09:00:00"})
    ledger.close()
    again = LedgerFile(path)
    assert again.entries == {"a|7": {"state": "sent"}}
    assert again.meta == {"scheduler_last_run": "2012-08-21T09:00:00"}
    assert len(path.read_text().splitlines()) == 3


def test_a_torn_last_line_was_never_acknowledged_and_is_dropped(tmp_path):
    path = tmp_path / "brs.ledger.jsonl"
    ledger = LedgerFile(path)
    ledger.write({"a|7": {"state": "sent"}})
    ledger.close()
    good = path.stat().st_size
    with path.open("ab") as f:
        f.write(b'{"e":{"a|7":{"state":"sen')
    assert LedgerFile(path, readonly=True).entries == {"a|7": {"state": "sent"}}
    assert path.stat().st_size > good  # a reader leaves the writer's file alone
    assert LedgerFile(path).entries == {"a|7": {"state": "sent"}}
    assert path.stat().st_size == good


def test_damage_before_good_lines_is_refused(tmp_path):
    path = tmp_path / "brs.ledger.jsonl"
    path.write_text('garbage\n{"e":{"a|7":{"state":"sent"}}}\n')
    with pytest.raises(StoreError, match="damaged at byte 0"):
        LedgerFile(path)


def test_it_is_rewritten_to_what_it_holds_once_lines_outnumber_entries(tmp_path):
    path = tmp_path / "brs.ledger.jsonl"
    ledger = LedgerFile(path)
    for i in range(SLACK * 5):  # a reminder run a day, each recording its time
        ledger.write({"a|7": {"state": "sent"}}, {"scheduler_last_run": f"run {i}"})
    lines = path.read_text().splitlines()
    assert len(lines) <= SLACK + 2
    ledger.close()
    again = LedgerFile(path)
    assert again.entries == {"a|7": {"state": "sent"}}
    assert again.meta == {"scheduler_last_run": f"run {SLACK * 5 - 1}"}
    assert json.loads(lines[0])["e"] == {"a|7": {"state": "sent"}}
