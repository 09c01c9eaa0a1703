"""`/brs export` and `/brs timeline` over real signed HTTP: ack at once, then files_upload_v2."""

from __future__ import annotations

import csv
import io
import struct
import time
from pathlib import Path

from icalendar import Calendar

from store.report.reader import read_report
from tests.e2e.conftest import Running
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import CHANNEL, USER, Slack

UPLOAD_STEPS = ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]


def _uploaded(fake: FakeSlack) -> dict:
    fake.wait_for("files.completeUploadExternal")
    (upload,) = fake.uploads()
    return upload


def _steps(fake: FakeSlack) -> list[str]:
    return [c.method for c in fake.calls() if c.method in UPLOAD_STEPS]


def test_export_csv_is_acknowledged_then_uploaded_to_the_channel(slack: Slack) -> None:
    answer = slack.command("export csv")

    assert answer.status == 200
    assert answer.json()["response_type"] == "ephemeral"
    assert answer.json()["text"].startswith("Preparing the CSV table")
    upload = _uploaded(slack.fake)
    assert _steps(slack.fake) == UPLOAD_STEPS  # files_upload_v2, not the retired files.upload
    assert upload["channel"] == CHANNEL
    assert upload["filename"] == "brs-report-2012-08-20.csv"
    assert upload["length"] == len(upload["data"])
    assert f"<@{USER}>" in upload["initial_comment"]
    assert upload["data"].startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = list(csv.DictReader(io.StringIO(upload["data"].decode("utf-8-sig"), newline="")))
    assert len(rows) == 18 and rows[0]["code"] == "S1"


def test_export_md_uploads_the_report_in_its_own_layout(slack: Slack, tmp_path: Path) -> None:
    slack.command("export md")

    upload = _uploaded(slack.fake)
    assert upload["filename"].endswith(".md")
    saved = tmp_path / upload["filename"]
    saved.write_bytes(upload["data"])
    assert [a.code for a in read_report(saved).activities][-1] == "S17"


def test_export_ics_uploads_a_calendar_of_open_deadlines(slack: Slack, running: Running) -> None:
    slack.command("export ICS")

    upload = _uploaded(slack.fake)
    assert upload["filename"] == "brs-deadlines-2012-08-20.ics"
    events = Calendar.from_ical(upload["data"]).walk("VEVENT")
    installation = running.store.setting("installation_id")  # made by the first calendar
    assert f"S17-2@{installation}.brs" in {str(e["UID"]) for e in events}


def test_timeline_uploads_a_png_after_a_quick_ack(slack: Slack) -> None:
    started = time.monotonic()
    answer = slack.command("timeline")
    acked = time.monotonic() - started

    assert answer.json()["text"].startswith("Preparing the deadline timeline")
    assert acked < 2.0  # well within Slack's 3 seconds, though drawing takes longer
    upload = _uploaded(slack.fake)
    assert upload["filename"] == "brs-timeline-2012-08-20.png"
    assert upload["data"][:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", upload["data"][16:24])
    assert width == 1200 and 300 <= height <= 1000


def test_a_refused_upload_is_explained_to_the_asker_only(slack: Slack) -> None:
    slack.fake.refuse("C0ELSEWHERE", "not_in_channel")

    answer = slack.command("export csv", channel="C0ELSEWHERE")

    assert answer.json()["text"].startswith("Preparing")
    (said,) = slack.fake.wait_for("response")
    assert said.body["response_type"] == "ephemeral"
    assert "invite me with `/invite @brs`" in said.body["text"]
    assert slack.fake.uploads() == []


def test_a_failed_upload_step_is_reported_not_swallowed(slack: Slack) -> None:
    slack.fake.fail("upload", 500, 1)

    slack.command("export md")

    (said,) = slack.fake.wait_for("response")
    assert said.body["text"].startswith("Could not upload brs-report-2012-08-20.md.")
    assert slack.fake.calls("files.completeUploadExternal") == []


def test_a_bad_format_is_answered_in_the_ack_and_uploads_nothing(slack: Slack) -> None:
    reply = slack.command("export pdf").json()

    assert reply["response_type"] == "ephemeral"
    assert 'Unknown export format "pdf"' in reply["text"]
    time.sleep(0.2)
    assert _steps(slack.fake) == []
