"""Serialise the store's current report: markdown or Word in the report's own layout, CSV,
iCalendar, JSON, or a PNG timeline (all but markdown are imported only when asked for)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.exports.markdown import render_markdown
from store.model import activity_to_dict, deadline_to_dict

TEXT_FORMATS = ("md", "csv", "deadlines-csv", "ics", "json")
FORMATS = (*TEXT_FORMATS, "docx", "png")


@dataclass(frozen=True)
class Kind:
    label: str  # how a person calls it
    extension: str
    mimetype: str


KINDS = {
    "md": Kind("markdown report", "md", "text/markdown"),
    "docx": Kind(
        "Word report",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "csv": Kind("CSV table", "csv", "text/csv"),
    "deadlines-csv": Kind("CSV table of deadlines", "csv", "text/csv"),
    "ics": Kind("calendar of open deadlines", "ics", "text/calendar"),
    "json": Kind("JSON export", "json", "application/json"),
    "png": Kind("deadline timeline", "png", "image/png"),
}
BASENAMES = {"png": "brs-timeline", "ics": "brs-deadlines", "deadlines-csv": "brs-deadlines"}


def filename(fmt: str, today: date) -> str:
    """A name that says what and when, e.g. brs-report-2012-08-20.md."""
    return f"{BASENAMES.get(fmt, 'brs-report')}-{today.isoformat()}.{KINDS[fmt].extension}"


def export_text(store, fmt: str, *, now: datetime | None = None) -> str:
    """md, csv, deadlines-csv, ics or json as text; ics stamps its events with `now`
    (default: the real time)."""
    info = store.report_info()
    if fmt == "md":
        return render_markdown(info.title, info.sections, store.activities(), info.footnotes)
    if fmt == "csv":
        from bot.exports.spreadsheet import render_csv

        return render_csv(store.activities())
    if fmt == "deadlines-csv":
        from bot.exports.spreadsheet import render_deadlines_csv

        return render_deadlines_csv(store.deadlines(), store.events(), store.activities())
    if fmt == "ics":
        from bot.exports.feed import export_ics

        if now is None:  # callers at the edge pass their clock; it stamps and ages the events
            now = datetime.now(UTC)
        return export_ics(store, now=now).decode("utf-8")
    if fmt == "json":
        doc = {
            "title": info.title,
            "sections": [{"number": s.number, "title": s.title} for s in info.sections],
            "footnotes": list(info.footnotes),
            "activities": [activity_to_dict(a) for a in store.activities()],
            "deadlines": [deadline_to_dict(d) for d in store.deadlines()],
            "events": {name: on.isoformat() for name, on in store.events().items()},
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r}")


def export_bytes(store, fmt: str, *, now: datetime, today: date) -> bytes:
    """Any format as the bytes of a file; the timeline marks `today`."""
    if fmt == "docx":
        from bot.exports.docx import render_docx

        info = store.report_info()
        return render_docx(info.title, info.sections, store.activities(), info.footnotes)
    if fmt == "png":
        from bot.exports.timeline import render_png

        return render_png(store.activities(), store.deadlines(), store.events(), today=today)
    return export_text(store, fmt, now=now).encode("utf-8")
