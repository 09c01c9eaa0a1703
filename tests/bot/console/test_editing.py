"""Editing in `brs console`: its users are editors unless BRS_EDITORS says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

BRS = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]
SCRIPT = "/brs update S17 Responses & <more>\n/brs S17\n/brs history S17\n/brs undo S17\n"


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRS_", "SLACK_"))}
    return dict(clean, BRS_DB=str(tmp_path / "brs.json"))


def console(env, *args: str, stdin: str = SCRIPT) -> str:
    run = subprocess.run(
        [*BRS, "console", *args], input=stdin, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_console_users_edit_and_user_picks_who(env):
    out = console(env, "--user", "U0ME")
    assert "Added to S17 · Status of implementation" in out
    assert "(U0ME): Responses & <more>" in out  # as typed: the console shows plain text
    assert "last change: @U0ME" in out
    assert "Undid the change @U0ME made to S17" in out
    assert "The form for S17 opens in Slack" in console(env, stdin="/brs edit S17\n")


def test_brs_editors_applies_in_the_console_too(env):
    out = console({**env, "BRS_EDITORS": "U0OTHER"}, "--user", "U0ME", stdin="/brs update S17 x\n")
    assert "Only the editors can change brs: @U0OTHER" in out
    assert "Added to" not in out
    assert "Added to" in console({**env, "BRS_EDITORS": "U0OTHER"}, "--user", "U0OTHER")
