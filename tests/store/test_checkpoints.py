"""Checkpoints: one file write, one pass per table; reminder bookkeeping never writes it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tinydb.table import Table

from jobs.ledger import Ledger
from store.repository import Store
from store.storage import AtomicJSONStorage
from tests.store.factories import activity, deadline, report, sample_report

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


def count_writes(monkeypatch) -> list[int]:
    writes: list[int] = []
    real = AtomicJSONStorage._write_disk

    def counted(self, text):
        writes.append(len(text))
        real(self, text)

    monkeypatch.setattr(AtomicJSONStorage, "_write_disk", counted)
    return writes


def test_an_import_of_many_documents_is_one_file_write(tmp_path, monkeypatch):
    big = report(
        [activity(f"S{i}", i) for i in range(1, 301)],
        [deadline(f"S{i}-1", None) for i in range(1, 301)],
    )
    passes: list[str] = []
    real = Table._update_table
    with Store.open(tmp_path / "brs.json", clock=clock) as s:
        writes = count_writes(monkeypatch)
        # TinyDB's update() rebuilds its whole table per document: n documents, n passes.
        monkeypatch.setattr(
            Table, "_update_table", lambda self, f: passes.append(self.name) or real(self, f)
        )
        s.import_report(big)
        assert len(writes) == 1 and passes == []
    tables = json.loads((tmp_path / "brs.json").read_text())
    assert len(tables["activities"]) == 300 and len(tables["deadlines"]) == 300


def test_a_checkpoint_keeps_document_ids_and_numbers_new_ones_after_them(tmp_path):
    path = tmp_path / "brs.json"
    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report())
    before = json.loads(path.read_text())["activities"]
    ids = {doc["code"]: doc_id for doc_id, doc in before.items()}
    with Store.open(path, clock=clock) as s:
        s.commit("U1", [("activity:S17", "title", s.activity("S17").title, "Renamed")])
        s.commit("U1", [("activity:S2", "", s._docs["activity"]["S2"], None)])
        added = dict(s._docs["activity"]["S1"], code="S99", order=99)
        s.commit("U1", [("activity:S99", "", None, added)])
    after = json.loads(path.read_text())["activities"]
    assert after[ids["S17"]]["title"] == "Renamed"
    assert ids["S2"] not in after and after[ids["S1"]]["code"] == "S1"
    new_id = next(i for i, doc in after.items() if doc["code"] == "S99")
    assert int(new_id) > max(int(i) for i in before)
    with Store.open(path, clock=clock) as s:
        assert s.codes() == ["S1", "S17", "S99"]


def test_a_reminder_run_s_bookkeeping_never_rewrites_the_database(tmp_path, monkeypatch):
    with Store.open(tmp_path / "brs.json", clock=clock) as s:
        s.import_report(sample_report())
        writes = count_writes(monkeypatch)
        ledger = Ledger(s)
        ledger.set_last_run(NOW)
        s.put_reminder_entries({"S17-2|7": {"on": "2012-12-31", "state": "sending"}})
        assert writes == []
        assert ledger.last_run() == NOW
