"""What a (re-)import changes: field-level diffs of activities, deadlines matched across reports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import Any

from store import model
from store.documents import ChangeItem, to_json
from store.storage import StoreError
from store.threeway import CONFLICTS_FIELD, Merge, conflict_lines, merge_activity


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


@dataclass
class ImportReport:
    """What an import did, by code, and what it could not read."""

    added: list[str] = dc_field(default_factory=list)
    changed: dict[str, list[str]] = dc_field(default_factory=dict)  # code -> fields
    removed: list[str] = dc_field(default_factory=list)
    merge: Merge = dc_field(default_factory=Merge)
    deadlines_added: list[str] = dc_field(default_factory=list)
    deadlines_moved: list[str] = dc_field(default_factory=list)
    deadlines_removed: list[str] = dc_field(default_factory=list)
    notes: list[str] = dc_field(default_factory=list)
    no_base: bool = False  # a store imported before three-way imports: the file's values won

    def lines(self) -> list[str]:
        """The report as people read it, one fact a line."""
        out = [f"added: {', '.join(self.added) or 'none'}"]
        if self.no_base:
            out.append("no values of an earlier import were kept: the file's values were taken")
        changed = [f"{c} ({', '.join(f)})" for c, f in self.changed.items()]
        out.append(f"changed: {'; '.join(changed) or 'none'}")
        out.append(f"removed: {', '.join(self.removed) or 'none'}")
        kept = [f"{c} {f}" for c, f in self.merge.kept]
        if kept:
            out.append(f"kept Slack edits the file did not change: {', '.join(kept)}")
        for c, f in self.merge.conflicts:
            out.append(f"conflict: {c} {f} changed in Slack and in the file; kept the Slack edit")
        out.append(
            f"deadlines: {len(self.deadlines_added)} added, {len(self.deadlines_moved)} reworded "
            f"or moved, {len(self.deadlines_removed)} removed"
            + (f" ({', '.join(self.deadlines_removed)})" if self.deadlines_removed else "")
        )
        out += [f"could not read: {n}" for n in self.notes]
        return out


def activity_changes(
    existing: dict[str, dict],
    report: model.Report,
    base: dict[str, Any] | None = None,
    summary: ImportReport | None = None,
) -> tuple[list[ChangeItem], tuple[int, int, int]]:
    """Changes to bring the stored activities to the report's; counts (added, changed, removed).

    With `base` (the values of the last import), a field only Slack changed keeps
    its local value and one both changed is a conflict kept local (three-way merge).
    """
    summary = summary if summary is not None else ImportReport()
    seen: set[str] = set()
    items: list[ChangeItem] = []
    added = changed = 0
    for activity in report.activities:
        if activity.code in seen:
            raise StoreError(f"The report lists activity {activity.code} twice.")
        seen.add(activity.code)
        old = existing.get(activity.code)
        new = to_json(model.activity_to_dict(activity))
        if old is not None and base is not None:
            merged = merge_activity(summary.merge, activity.code, base.get(activity.code), old, new)
            conflicts = conflict_lines(summary.merge, activity.code, new)
            if conflicts or old.get(CONFLICTS_FIELD):
                merged[CONFLICTS_FIELD] = conflicts
            new = merged
        found = diff(f"activity:{activity.code}", old, new)
        # Only the file's changes count as changed; a conflict kept local is listed apart.
        fields = [f for _, f, _, _ in found if f != CONFLICTS_FIELD]
        added += old is None
        changed += old is not None and bool(fields)
        if old is None:
            summary.added.append(activity.code)
        elif fields:
            summary.changed[activity.code] = list(dict.fromkeys(fields))
        items += found
    gone = [code for code in existing if code not in seen]
    summary.removed += gone
    items += [(f"activity:{code}", "", existing[code], None) for code in gone]
    return items, (added, changed, len(gone))


def base_items(old_base: dict | None, report: model.Report) -> list[ChangeItem]:
    """Record the file's values as the base of the next re-import (in the report document)."""
    new = {a.code: to_json(model.activity_to_dict(a)) for a in report.activities}
    if old_base is None:
        return [("report", "base", None, new)]
    items: list[ChangeItem] = [
        ("report", f"base.{code}", old_base.get(code), value)
        for code, value in new.items()
        if old_base.get(code) != value
    ]
    items += [("report", f"base.{c}", v, None) for c, v in old_base.items() if c not in new and v]
    return items


def deadline_changes(
    docs: dict[str, dict],
    current: list[model.Deadline],
    taken: set[str],
    report: model.Report,
    summary: ImportReport | None = None,
) -> tuple[list[ChangeItem], int, int]:
    """Match the report's deadlines to the stored ones by what they commit to, not by id.

    A matched deadline keeps its id and who marked it done; one whose date is the
    same but wording moved matches by date, one whose date moved but wording is the
    same matches by wording. Deadlines added from Slack are kept unless their
    activity is gone. Returns (changes, added, removed); `taken` is updated.
    """
    summary = summary if summary is not None else ImportReport()
    current = sorted(current, key=id_order)
    unmatched: dict[tuple, list[model.Deadline]] = {}
    for dl in current:
        if dl.source == "report":
            unmatched.setdefault(dl.key, []).append(dl)
    items: list[ChangeItem] = []
    added = 0
    pairs: list[tuple[model.Deadline, model.Deadline | None]] = []
    for new in report.deadlines:
        bucket = unmatched.get(new.key)
        pairs.append((new, bucket.pop(0) if bucket else None))
    by_words = {
        (dl.activity, " ".join(dl.due.casefold().split())): dl
        for bucket in unmatched.values()
        for dl in bucket
    }
    for new, old in pairs:
        if old is None:
            old = by_words.pop((new.activity, " ".join(new.due.casefold().split())), None)
            if old is not None:
                unmatched[old.key].remove(old)
        if old is not None:
            kept = replace(
                new,
                id=old.id,
                done=old.done or (new.kind == "milestone" and new.done),
                done_by=old.done_by,
                done_at=old.done_at,
            )
            found = diff(f"deadline:{old.id}", docs[old.id], model.deadline_to_dict(kept))
            if found:
                summary.deadlines_moved.append(old.id)
            items += found
            continue
        if new.id.casefold() in taken:
            new = replace(new, id=next_free(new.activity, taken))
        taken.add(new.id.casefold())
        items.append((f"deadline:{new.id}", "", None, model.deadline_to_dict(new)))
        summary.deadlines_added.append(new.id)
        added += 1
    codes = {a.code for a in report.activities}
    left = {dl.id for bucket in unmatched.values() for dl in bucket}
    gone = [dl for dl in current if dl.id in left or dl.activity not in codes]
    summary.deadlines_removed += [dl.id for dl in gone]
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


def import_items(
    docs: dict[str, dict[str, Any]],
    deadlines: list[model.Deadline],
    taken: set[str],
    report: model.Report,
    source: str | None,
    *,
    allow_removals: bool,
) -> tuple[list[ChangeItem], tuple[int, int, int, int, int], ImportReport]:
    """The changes of one import, its counts and its report; StoreError if it may not remove."""
    old_report = docs["report"].get("")
    if source is None:
        source = old_report.get("source", "") if old_report else ""
    base = old_report.get("base") if old_report else None
    summary = ImportReport(notes=list(report.notes), no_base=bool(old_report) and base is None)
    doc = report_doc(report, source)
    if old_report is None:
        (base_item,) = base_items(None, report)
        items = [("report", "", None, {**doc, "base": base_item[3]})]
    else:
        items = diff("report", {k: v for k, v in old_report.items() if k != "base"}, doc)
        items += base_items(base, report)
    act_items, (added, changed, removed) = activity_changes(docs["activity"], report, base, summary)
    if summary.removed and not allow_removals:
        n = len(summary.removed)
        raise StoreError(
            f"This import would remove {n} activit{'y' if n == 1 else 'ies'}: "
            f"{', '.join(summary.removed)}; nothing was changed. If the file is complete "
            "and they really left the report, import again with --allow-removals."
        )
    dl_items, dl_added, dl_removed = deadline_changes(
        docs["deadline"], deadlines, taken, report, summary
    )
    # Deadlines go before the removal of the activities they belonged to.
    removals = [i for i in act_items if i[3] is None]
    items += [i for i in act_items if i[3] is not None] + dl_items + removals
    return items, (added, changed, removed, dl_added, dl_removed), summary
