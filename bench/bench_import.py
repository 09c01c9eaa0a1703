"""Reading the bundled report in each format the importer takes, and a re-import: medians."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from timing import median_ms


def main() -> None:
    from bot.exports.docx import render_docx
    from bot.exports.markdown import render_markdown
    from store.report.reader import bundled_report_path, parse_report, read_report
    from store.repository import Store

    bundled = read_report(bundled_report_path())
    args = (bundled.title, bundled.sections, bundled.activities, bundled.footnotes)
    clock = lambda: datetime(2012, 8, 20, 7, tzinfo=UTC)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pipe = tmp / "pipe.md"
        pipe.write_text(render_markdown(*args), encoding="utf-8")
        word = tmp / "report.docx"
        word.write_bytes(render_docx(*args))
        files = {"tab-separated .md (bundled)": bundled_report_path(), "pipe-table .md": pipe}
        files[".docx (python-docx)"] = word
        for name, path in files.items():
            assert read_report(path).activities == bundled.activities, name
        rows = {name: median_ms(lambda p=path: read_report(p), 30) for name, path in files.items()}
        text = bundled_report_path().read_text(encoding="utf-8")
        with Store.open(tmp / "brs.json", clock=clock) as store:
            store.import_report(parse_report(text, "bundled"))
            rows["re-import of the same file (three-way)"] = median_ms(
                lambda: store.import_report(parse_report(text, "bundled")), 30
            )
    for name, ms in rows.items():
        print(f"{name:42} {ms:8.1f} ms  (median)")
