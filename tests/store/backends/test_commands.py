"""The `brs` commands with DATABASE_URL: console, import and export use PostgreSQL, no file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from store.report.reader import bundled_report_path

BRS = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]


def brs(env, *args, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BRS, *args], input=stdin, env=env, capture_output=True, text=True, timeout=60
    )


def test_console_import_and_export_keep_everything_in_the_database(tmp_path, pg_url):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRS_", "SLACK_"))}
    env = dict(clean, BRS_DB=str(tmp_path / "brs.json"), DATABASE_URL=pg_url)

    run = brs(env, "console", stdin="/brs update S17 Kept in PostgreSQL.\n")
    assert run.returncode == 0, run.stderr
    assert "Kept in PostgreSQL." in run.stdout
    assert "no store at" not in run.stderr

    again = brs(env, "import", str(bundled_report_path()))
    assert again.returncode == 0, again.stderr
    # Three-way (main's importer): the file did not change since the last import, so the
    # update made since is kept.
    assert "0 new" in again.stdout and "0 changed" in again.stdout

    exported = brs(env, "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    assert "Kept in PostgreSQL." in json.dumps(json.loads(exported.stdout))
    assert not (tmp_path / "brs.json").exists()

    simulated = brs(env, "console", "--now", "2012-08-20T09:00")
    assert simulated.returncode == 2 and "unset DATABASE_URL" in simulated.stderr
