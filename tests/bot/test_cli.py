"""The `brs` command line as a user runs it: real subprocesses, a temporary store, piped input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.report.reader import bundled_report_path

BRS = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRS_", "SLACK_"))}
    return dict(clean, BRS_DB=str(tmp_path / "data" / "brs.json"))


def brs(env, *args, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BRS, *args], input=stdin, env=env, capture_output=True, text=True, timeout=60
    )


def test_console_answers_each_piped_line_then_exits(env):
    run = brs(env, "console", stdin="/brs S17\nfunding partly\n\n/brs nonsense\n")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("\n")  # a blank line comes before every reply
    assert run.stdout.count("[Share in channel]") == 2
    assert "S17 · Review arrangements" in run.stdout
    assert "31 August 2012" in run.stdout
    assert "Partly funded (" in run.stdout
    assert 'Unknown command "nonsense"' in run.stdout
    # Nothing but the one line saying a new store was made (this is its first run).
    assert run.stderr.splitlines() == [
        f"brs: no store at {env['BRS_DB']}; creating it from the bundled report."
    ]


def test_first_run_imports_the_bundled_report(env):
    assert not Path(env["BRS_DB"]).exists()
    brs(env, "console", stdin="list\n")
    assert Path(env["BRS_DB"]).exists()


def test_console_now_counts_days_from_the_simulated_clock_on_a_scratch_copy(env):
    brs(env, "console", stdin="")  # create the real store
    before = Path(env["BRS_DB"]).read_bytes()
    run = brs(env, "console", "--now", "2012-08-20T09:00", stdin="deadlines 30\n")
    assert "S17-2 31 August 2012 · in 11 days" in run.stdout
    assert Path(env["BRS_DB"]).read_bytes() == before


@pytest.mark.parametrize("bad", ["yesterday", "2012-13-01"])
def test_a_bad_now_is_one_clear_line(env, bad):
    run = brs(env, "console", "--now", bad, stdin="S17\n")
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "--now" in run.stderr and "2012-08-20T09:00" in run.stderr


def test_a_bad_setting_is_named(env):
    run = brs(dict(env, BRS_TZ="Mars/Olympus"), "console", stdin="S17\n")
    assert run.returncode == 2
    assert run.stderr.startswith("brs: BRS_TZ=")
    assert "Traceback" not in run.stderr


def test_import_of_a_malformed_report_names_file_and_line_and_changes_nothing(env, tmp_path):
    brs(env, "console", stdin="")
    before = Path(env["BRS_DB"]).read_bytes()
    bad = tmp_path / "bad.md"
    bad.write_text(
        "## I. Section\nDecision requests\tStatus\tNext steps\tFunding\tImplications\nNo code\t\t\t\t\n"
    )
    run = brs(env, "import", str(bad))
    assert run.returncode == 2
    assert f"{bad}, line 3:" in run.stderr
    assert "Traceback" not in run.stderr
    assert Path(env["BRS_DB"]).read_bytes() == before


def test_reimport_records_changed_fields_in_history(env, tmp_path):
    brs(env, "console", stdin="")
    text = bundled_report_path().read_text(encoding="utf-8")
    changed = tmp_path / "2013.md"
    changed.write_text(
        text.replace("The questionnaire was sent to parties on 21 May 2012.", "Responses came in.")
    )
    run = brs(env, "import", str(changed))
    assert run.returncode == 0, run.stderr
    assert "1 changed" in run.stdout
    history = brs(env, "console", stdin="history S17\n").stdout
    assert "Status of implementation" in history
    assert "Responses came in." in history
    assert "The questionnaire was sent to parties on 21 May 2012." in history


def test_export_md_imports_back_to_the_same_activities(env, tmp_path):
    out = tmp_path / "export.md"
    assert brs(env, "export", "--format", "md", "-o", str(out)).returncode == 0
    first = json.loads(brs(env, "export", "--format", "json").stdout)
    other = dict(env, BRS_DB=str(tmp_path / "other" / "brs.json"))
    assert brs(other, "import", str(out)).returncode == 0
    second = json.loads(brs(other, "export", "--format", "json").stdout)
    assert second["activities"] == first["activities"]
    assert [d["id"] for d in second["deadlines"]] == [d["id"] for d in first["deadlines"]]


def test_a_second_process_refuses_and_names_the_holder(env):
    brs(env, "console", stdin="")
    holder = subprocess.Popen(
        [*BRS, "console"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        holder.stdin.write("S1\n")
        holder.stdin.flush()
        holder.stdout.readline()  # the holder has answered, so it holds the store
        deadline = time.monotonic() + 10
        while True:
            run = brs(env, "import", str(bundled_report_path()))
            if run.returncode == 2 or time.monotonic() > deadline:
                break
        assert run.returncode == 2
        assert f"process {holder.pid}" in run.stderr
        # Export reads a consistent snapshot while the store is held.
        assert brs(env, "export", "--format", "json").returncode == 0
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
