"""One process owns a store: a second one is refused and told which process holds it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from store.lock import ProcessLock, StoreLocked
from store.repository import Store
from tests.store.factories import sample_report

ROOT = Path(__file__).resolve().parents[2]


def test_second_lock_is_refused_with_the_holders_pid(tmp_path):
    path = tmp_path / "data" / "brs.json"
    path.parent.mkdir()
    with ProcessLock(path):
        with pytest.raises(StoreLocked) as err:
            ProcessLock(path)
        assert err.value.pid == os.getpid()
        assert str(err.value) == (
            f"The store {path} is in use by process {os.getpid()}; "
            "stop that process or set BRS_DB to another file."
        )
    with ProcessLock(path) as again:  # released on close
        assert again.held


def test_unknown_holder_still_gives_one_clear_line():
    message = str(StoreLocked(Path("data/brs.json"), None))
    assert message == (
        "The store data/brs.json is in use by another process; "
        "stop that process or set BRS_DB to another file."
    )


@pytest.fixture
def holder(tmp_path):
    """A real second process that opens the store, says so, and waits."""
    path = tmp_path / "brs.json"
    script = textwrap.dedent(
        f"""
        import sys
        from store.repository import Store
        store = Store.open({str(path)!r})
        store.set_setting("reminder_channel", "C123", "U1")
        print("ready", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline() == "ready\n"
        yield path, proc
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_store_held_by_another_process_is_refused_until_it_dies(holder):
    path, proc = holder
    with pytest.raises(StoreLocked) as err:
        Store.open(path)
    assert err.value.pid == proc.pid
    assert f"in use by process {proc.pid}" in str(err.value)

    proc.kill()  # a lock dies with its process: no clean-up ran
    proc.wait(timeout=30)
    with Store.open(path) as store:
        assert store.setting("reminder_channel") == "C123"
        store.import_report(sample_report())


def test_readonly_open_works_while_another_process_holds_the_store(holder):
    path, _ = holder
    with Store.open(path, readonly=True) as store:
        assert store.setting("reminder_channel") == "C123"
        assert [c.target for c in store.history("setting:reminder_channel")] == [
            "setting:reminder_channel"
        ]
