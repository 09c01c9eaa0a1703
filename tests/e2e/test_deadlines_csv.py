"""`/brs export deadlines` over real signed HTTP: a deadlines CSV beside the activities one."""

from __future__ import annotations

import csv
import io

from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import CHANNEL, Slack


def _uploaded(fake: FakeSlack) -> dict:
    fake.wait_for("files.completeUploadExternal")
    (upload,) = fake.uploads()
    return upload


def test_export_deadlines_uploads_a_csv_excel_reads_as_utf8(slack: Slack) -> None:
    answer = slack.command("export deadlines")

    assert answer.json()["text"].startswith("Preparing the CSV table of deadlines")
    upload = _uploaded(slack.fake)
    assert upload["channel"] == CHANNEL
    assert upload["filename"] == "brs-deadlines-2012-08-20.csv"
    assert upload["data"].startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(upload["data"].decode("utf-8-sig"), newline="")))
    s17_2 = next(r for r in rows if r["id"] == "S17-2")
    assert (s17_2["date"], s17_2["state"], s17_2["title"]) == (
        "2012-08-31",
        "open",
        "Review arrangements",
    )


def test_an_unknown_format_names_the_deadlines_one(slack: Slack) -> None:
    reply = slack.command("export xlsx").json()
    assert 'Unknown export format "xlsx"; use md, docx, csv, deadlines or ics' in reply["text"]
