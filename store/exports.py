"""Serialise the store's current report: JSON, or markdown in the report's own layout."""

from __future__ import annotations

import json

from store.export_md import render_markdown
from store.model import activity_to_dict, deadline_to_dict


def export_text(store, fmt: str) -> str:
    info = store.report_info()
    if fmt == "md":
        return render_markdown(info.title, info.sections, store.activities(), info.footnotes)
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
