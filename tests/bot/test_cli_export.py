"""`brs export --format csv|ics|png` as a user runs it: a real subprocess on a temporary store."""

from __future__ import annotations

import csv
import io
import os

import pytest
from icalendar import Calendar

from tests.bot.test_cli import brs

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRS_", "SLACK_"))}
    return dict(clean, BRS_DB=str(tmp_path / "data" / "brs.json"))


def test_csv_and_ics_go_to_standard_output(env):
    table = brs(env, "export", "--format", "csv")
    assert table.returncode == 0, table.stderr
    assert len(list(csv.DictReader(io.StringIO(table.stdout, newline="")))) == 18

    calendar = brs(env, "export", "--format", "ics")
    assert calendar.returncode == 0, calendar.stderr
    assert len(Calendar.from_ical(calendar.stdout).walk("VEVENT")) == 10


def test_png_is_written_to_the_output_file_for_the_day_asked(env, tmp_path):
    out = tmp_path / "timeline.png"
    run = brs(env, "export", "--format", "png", "--today", "2012-08-20", "-o", str(out))

    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(PNG)


def test_a_bad_today_is_one_line_and_exit_2(env):
    run = brs(env, "export", "--format", "png", "--today", "20/8/2012", "-o", "x.png")

    assert run.returncode == 2
    assert (
        run.stderr.strip()
        == 'brs: --today "20/8/2012" is not a date; use ISO form like 2012-08-20.'
    )
