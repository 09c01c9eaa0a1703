"""What a (re-)import changes: field-level diffs of activities, deadlines matched across reports."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from store import model
from store.documents import ChangeItem, to_json
from store.storage import StoreError


def report_doc(report: model.Report, source: str) -> dict[str, Any]:
    return to_json(
        {
            "title": report.title,
            "sections": [{"number": s.number, "title": s.title} for s in report.sections],
            "footnotes": report.footnotes,
            "toc": report.toc,
            "source": source,
        }
    )


def diff(target: str, old: dict | None, new: dict) -> list[ChangeItem]:
    """Field-level changes from `old` to `new` (rows compared column by column)."""
    new = to_json(new)
    if old is None:
        return [(target, "", None, new)]
    items: list[ChangeItem] = []
    for name in list(new) + [k for k in old if k not in new]:
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        if name == "rows" and isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
                for col in list(rb) + [k for k in ra if k not in rb]:
                    if ra.get(col) != rb.get(col):
                        items.append((target, f"rows.{i}.{col}", ra.get(col), rb.get(col)))
        else:
            items.append((target, name, a, b))
    return items


def activity_changes(
    existing: dict[str, dict], report: model.Report
) -> tuple[list[ChangeItem], tuple[int, int, int]]:
    """Changes to bring the stored activities to the report's; counts (added, changed, removed)."""
    seen: set[str] = set()
    items: list[ChangeItem] = []
    added = changed = 0
    for activity in report.activities:
        if activity.code in seen:
            raise StoreError(f"The report lists activity {activity.code} twice.")
        seen.add(activity.code)
        old = existing.get(activity.code)
        found = diff(f"activity:{activity.code}", old, model.activity_to_dict(activity))
        added += old is None
        changed += old is not None and bool(found)
        items += found
    gone = [code for code in existing if code not in seen]
    items += [(f"activity:{code}", "", existing[code], None) for code in gone]
    return items, (added, changed, len(gone))


def deadline_changes(
    docs: dict[str, dict],
    current: list[model.Deadline],
    taken: set[str],
    report: model.Report,
) -> tuple[list[ChangeItem], int, int]:
    """Match the report's deadlines to the stored ones by what they commit to, not by id.

    A matched deadline keeps its id and who marked it done; deadlines added
    from Slack are kept unless their activity is gone. Returns (changes,
    added, removed); `taken` (casefolded ids ever used) is updated.
    """
    current = sorted(current, key=id_order)
    unmatched: dict[tuple, list[model.Deadline]] = {}
    for dl in current:
        if dl.source == "report":
            unmatched.setdefault(dl.key, []).append(dl)
    items: list[ChangeItem] = []
    added = 0
    for new in report.deadlines:
        bucket = unmatched.get(new.key)
        if bucket:
            old = bucket.pop(0)
            kept = replace(
                new,
                id=old.id,
                done=old.done or (new.kind == "milestone" and new.done),
                done_by=old.done_by,
                done_at=old.done_at,
            )
            items += diff(f"deadline:{old.id}", docs[old.id], model.deadline_to_dict(kept))
            continue
        if new.id.casefold() in taken:
            new = replace(new, id=next_free(new.activity, taken))
        taken.add(new.id.casefold())
        items.append((f"deadline:{new.id}", "", None, model.deadline_to_dict(new)))
        added += 1
    codes = {a.code for a in report.activities}
    left = {dl.id for bucket in unmatched.values() for dl in bucket}
    gone = [dl for dl in current if dl.id in left or dl.activity not in codes]
    items += [(f"deadline:{dl.id}", "", docs[dl.id], None) for dl in gone]
    return items, added, len(gone)


def id_order(dl: model.Deadline) -> tuple[int, str]:
    number = dl.id.rpartition("-")[2]
    return (int(number) if number.isdigit() else 0, dl.id)


def next_free(code: str, taken: set[str]) -> str:
    prefix = f"{code.casefold()}-"
    suffixes = [t[len(prefix) :] for t in taken if t.startswith(prefix)]
    numbers = [int(s) for s in suffixes if s.isdigit()]
    return f"{code}-{max(numbers, default=0) + 1}"
