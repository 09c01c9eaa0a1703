"""`brs console --now` with `/brs tick`: a Saturday deadline is reminded on the Friday before."""

from __future__ import annotations

import os
import subprocess
import sys


def console(tmp_path, now: str, lines: str, **env: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--now", now],
        input=lines,
        capture_output=True,
        text=True,
        env={**os.environ, "BRS_DB": str(tmp_path / "brs.json"), **env},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def posts_of(out: str, kind: str, deadline_id: str) -> list[str]:
    """When each post of `kind` ("Reminder" or "Overdue") about `deadline_id` was printed."""
    blocks = out.split("\n[posted ")[1:]
    return [
        b.splitlines()[0] for b in blocks if kind in b.splitlines()[1] and f"{deadline_id} · " in b
    ]


def test_s7_2_due_on_saturday_is_reminded_on_friday_and_is_overdue_on_monday(tmp_path):
    # S7-2, the working group's meeting, is due on Saturday 1 September 2012.
    out = console(tmp_path, "2012-08-30T12:00", "/brs remind here\n/brs tick 2012-09-03T12:00\n")

    assert posts_of(out, "Reminder", "S7-2") == ["Friday 31 August 2012 09:00 CEST]"]
    friday = next(b for b in out.split("\n[posted ")[1:] if "S7-2 · " in b)
    assert "Due Saturday 1 September 2012 · tomorrow" in friday
    assert "S7-2 · reminder on the day, brought forward to a working day · " in friday
    assert posts_of(out, "Overdue", "S7-2") == ["Monday 3 September 2012 09:00 CEST]"]
    assert "Saturday 1 September 2012 09:00" not in out and "Sunday 2 September" not in out


def test_with_every_day_a_working_day_it_comes_on_the_saturday(tmp_path):
    out = console(
        tmp_path,
        "2012-08-31T12:00",
        "/brs remind here\n/brs tick 2012-09-01T12:00\n",
        BRS_WORKDAYS="mon-sun",
    )
    assert posts_of(out, "Reminder", "S7-2") == ["Saturday 1 September 2012 09:00 CEST]"]
    assert "brought forward" not in out


def test_a_malformed_brs_workdays_stops_the_console_with_one_line(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--now", "2012-08-30T12:00"],
        input="/brs list\n",
        capture_output=True,
        text=True,
        env={**os.environ, "BRS_DB": str(tmp_path / "brs.json"), "BRS_WORKDAYS": "weekdays"},
        timeout=60,
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith('brs: BRS_WORKDAYS="weekdays" must name days of the week')
    assert len(run.stderr.strip().splitlines()) == 1
