"""`brs console --now`: `/brs tick` moves the simulated clock and reminders print on the way."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.console import NO_TICK, run_console
from bot.console.reminders import ConsoleReminders, is_tick
from bot.settings import Settings
from jobs.clock import SimClock
from store.bootstrap import open_store
from tests.jobs.conftest import TZ, at


def console(tmp_path: Path, text: str, start=None) -> str:
    clock = SimClock(start or at(2012, 8, 20, 8, 59))
    out = io.StringIO()
    with open_store(tmp_path / "brs.json", clock=clock) as store:
        settings = Settings(tz=TZ)
        reminders = ConsoleReminders(store, settings, clock, out)
        run_console(
            store,
            lines=io.StringIO(text),
            out=out,
            clock=clock,
            tz=TZ,
            reminders=reminders,
            settings=settings,
        )
    return out.getvalue()


def test_a_month_of_reminders_for_s17_around_31_august_2012(tmp_path):
    out = console(tmp_path, "/brs tick 2012-09-03T12:00\n", at(2012, 7, 31, 12, 0))
    s17 = [block for block in out.split("\n[posted ")[1:] if "S17-2 · reminder" in block]
    assert [b.splitlines()[0] for b in s17] == [
        "Wednesday 1 August 2012 09:00 CEST]",
        "Friday 17 August 2012 09:00 CEST]",
        "Friday 24 August 2012 09:00 CEST]",
        "Thursday 30 August 2012 09:00 CEST]",
        "Friday 31 August 2012 09:00 CEST]",
        "Monday 3 September 2012 09:00 CEST]",  # not on Saturday: the next working day
    ]
    assert "Due Friday 31 August 2012 · in 4 weeks" in s17[0]
    assert "Overdue · S17 Review arrangements" in s17[-1] and "3 days overdue" in s17[-1]
    assert out.count("Weekly digest ·") == 5  # Mondays 6 August to 3 September
    # 23: S7-1 falls on Saturday 1 September, so its 1- and 0-day reminders share Friday.
    assert out.rstrip().endswith("Clock: Monday 3 September 2012 12:00 CEST (23 posted).")


def test_tick_by_steps_and_to_the_next_due(tmp_path):
    out = console(tmp_path, "/brs tick\ntick 1d 23h 59m\n/brs tick 1w\n")
    assert "Clock: Monday 20 August 2012 09:00 CEST (1 posted)." in out  # the digest
    assert "Clock: Wednesday 22 August 2012 08:59 CEST (nothing fell due)." in out
    assert "Clock: Wednesday 29 August 2012 08:59 CEST (4 posted)." in out


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/brs tick 2012-08-01T09:00", "The clock only moves forward; it is Monday 20 August"),
        ("/brs tick soon", 'Cannot read "soon"; like: /brs tick 2d'),
    ],
)
def test_bad_ticks_say_so(tmp_path, line, message):
    assert message in console(tmp_path, line + "\n")


def test_done_in_the_console_stops_reminders(tmp_path):
    out = console(tmp_path, "/brs tick 2012-08-24T10:00\n/brs deadline done S17-2\n/brs tick 10d\n")
    after = out.split("No more reminders for it.")[1]
    assert "S17-2 · reminder" not in after and "S9-1 · reminder" in after


def test_is_tick():
    assert is_tick("/brs tick 2d") and is_tick("tick") and is_tick("/BRS Tick")
    assert not is_tick("/brs S17") and not is_tick("ticket")


def test_without_now_the_console_has_no_reminders(tmp_path):
    env = {**os.environ, "BRS_DB": str(tmp_path / "brs.json")}
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input="/brs tick 2d\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 0 and NO_TICK in run.stdout
