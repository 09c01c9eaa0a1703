"""AtomicJSONStorage: atomic replacement, orphan clean-up, the write cache, read-only mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tinydb import TinyDB

from store.storage import AtomicJSONStorage, StoreError

ROOT = Path(__file__).resolve().parents[2]


def temp_files(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.tmp-")]


def test_missing_or_empty_file_reads_as_none(tmp_path):
    path = tmp_path / "db.json"
    assert AtomicJSONStorage(path).read() is None
    path.write_text("")
    assert AtomicJSONStorage(path).read() is None
    assert not temp_files(path)


def test_write_then_read_round_trips_and_creates_no_temp(tmp_path):
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.write({"t": {"1": {"x": "é"}}})
    assert json.loads(path.read_text(encoding="utf-8")) == {"t": {"1": {"x": "é"}}}
    assert AtomicJSONStorage(path).read() == {"t": {"1": {"x": "é"}}}
    assert not temp_files(path)


def test_reads_come_from_the_cache_and_mutations_do_not_leak(tmp_path):
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.write({"t": {"1": {"x": 1}}})
    storage.read()["t"]["1"]["x"] = 99
    path.write_text('{"t": {}}')  # no other process writes: the cache is the truth
    assert storage.read() == {"t": {"1": {"x": 1}}}


def test_readonly_reads_the_disk_every_time_and_never_writes(tmp_path):
    path = tmp_path / "db.json"
    AtomicJSONStorage(path).write({"t": {}})
    orphan = tmp_path / ".db.json.tmp-live"
    orphan.write_text("a writer's temp file in progress")
    reader = AtomicJSONStorage(path, readonly=True)
    assert orphan.exists()  # not a read-only opener's to delete
    assert reader.read() == {"t": {}}
    AtomicJSONStorage(path).write({"t": {"1": {}}})
    assert reader.read() == {"t": {"1": {}}}
    with pytest.raises(StoreError, match="read-only"):
        reader.write({})


def test_invalid_json_is_a_one_line_store_error(tmp_path):
    path = tmp_path / "db.json"
    path.write_text('{"t": ')
    with pytest.raises(StoreError) as err:
        AtomicJSONStorage(path).read()
    assert "not valid JSON" in str(err.value) and "\n" not in str(err.value)


def test_failed_replace_keeps_old_file_and_cache(tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"n": 1})

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        db.insert({"n": 2})
    monkeypatch.undo()
    assert [d["n"] for d in db.all()] == [1]
    db.close()
    assert [d["n"] for d in TinyDB(path, storage=AtomicJSONStorage).all()] == [1]
    assert not temp_files(path)


def test_crash_between_temp_write_and_replace_leaves_old_file(tmp_path):
    """A real crash: the process dies inside os.replace, its temp file orphaned."""
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"n": 1})
    db.close()
    script = textwrap.dedent(
        f"""
        import os
        from tinydb import TinyDB
        from store.storage import AtomicJSONStorage
        db = TinyDB({str(path)!r}, storage=AtomicJSONStorage)
        os.replace = lambda src, dst: os._exit(9)
        db.insert({{"n": 2}})
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60)
    assert done.returncode == 9
    assert len(temp_files(path)) == 1  # the crash left its temp file behind
    assert json.loads(path.read_text())["_default"] == {"1": {"n": 1}}
    db = TinyDB(path, storage=AtomicJSONStorage)
    assert not temp_files(path)
    assert [d["n"] for d in db.all()] == [1]


def test_batch_makes_one_disk_write(tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"n": 0})
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda s, d: (replaced.append(d), real_replace(s, d)))
    with db.storage.batch():
        for n in range(1, 20):
            db.insert({"n": n})
        db.remove(doc_ids=[1])
        assert len(db) == 19  # reads inside the batch see its writes
    assert len(replaced) == 1
    assert len(TinyDB(path, storage=AtomicJSONStorage)) == 19


def test_failed_batch_writes_nothing(tmp_path):
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"n": 0})
    before = path.read_bytes()
    with pytest.raises(RuntimeError), db.storage.batch():
        db.insert({"n": 1})
        raise RuntimeError("bug")
    assert path.read_bytes() == before
    assert [d["n"] for d in db.all()] == [0]
