"""`brs export --format ics|deadlines-csv` as a user runs it: the same UIDs export after export,
the installation id made once even though exports open the store read-only."""

from __future__ import annotations

import csv
import io
import os

import pytest
from icalendar import Calendar

from tests.bot.test_cli import brs


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRS_", "SLACK_"))}
    return dict(clean, BRS_DB=str(tmp_path / "data" / "brs.json"))


def _uids(text: str) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(text).walk("VEVENT")}


def test_every_export_has_the_same_installation_specific_uids(env, tmp_path):
    first = brs(env, "export", "--format", "ics")
    second = brs(env, "export", "--format", "ics", "-o", str(tmp_path / "brs.ics"))

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    uids = _uids(first.stdout)
    assert uids == _uids((tmp_path / "brs.ics").read_text()) and len(uids) == 10
    installations = {uid.partition("@")[2] for uid in uids}
    assert len(installations) == 1 and installations.pop().endswith(".brs")

    other = dict(env, BRS_DB=str(tmp_path / "other" / "brs.json"))
    assert not uids & _uids(brs(other, "export", "--format", "ics").stdout)


def test_deadlines_csv_goes_to_standard_output_with_a_bom(env):
    run = brs(env, "export", "--format", "deadlines-csv")

    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("\ufeffid,code,title,")
    rows = list(csv.DictReader(io.StringIO(run.stdout[1:], newline="")))
    assert {"S17-2", "S17-4", "S8-1"} <= {r["id"] for r in rows}
