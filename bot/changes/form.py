"""A submitted `/brs edit` form: check it, find what changed meanwhile, commit; an outcome."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from bot.changes.editors import check
from bot.changes.edits import RETRIES, compose_funding
from bot.changes.outcomes import (
    Clash,
    Conflict,
    FieldErrors,
    FormGone,
    FormUnreadable,
    NothingChanged,
    Outcome,
    Saved,
    TooBusy,
)
from bot.grammar import CommandError
from bot.grammar.edits import one_line
from bot.settings import Settings
from store.model import FUNDING_LABELS, Activity, Row
from store.report.funding import read_funding

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store

ACTION = "v"  # every input's action_id; inputs are told apart by block_id
INPUT_MAX = 3000  # Slack's plain_text_input limit, and the length of a line brs accepts
TEXT_FIELDS = {
    "status": "Status of implementation",
    "next_steps": "Next steps",
    "implications": "Implications if funding is missing",
}


def fingerprint(value: Any) -> str:
    """A short digest of a stored value: the form's metadata cannot hold whole texts."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def row_values(row: Row) -> dict[str, Any]:
    """A row's editable fields as the store keeps them (lists, the funding as a dict)."""
    return {
        "status": list(row.status),
        "next_steps": list(row.next_steps),
        "implications": list(row.implications),
        "funding_lines": list(row.funding_lines),
        "funding": asdict(row.funding),
    }


def block_id(row: int, name: str) -> str:
    return f"r{row}.{name}"


def metadata(a: Activity, seq: int) -> str:
    """private_metadata: the code, the newest history record and each field's fingerprint.

    A submission compares against these to tell what the person changed from what someone
    else changed meanwhile; whole texts would not fit Slack's 3,000 characters.
    """
    rows = [{k: fingerprint(v) for k, v in row_values(r).items()} for r in a.rows]
    data = {
        "code": a.code,
        "seq": seq,
        "fp": rows,
        "fs": [r.funding.status for r in a.rows],
    }
    return json.dumps(data, separators=(",", ":"))


@dataclass(frozen=True)
class Built:
    """What a form was built from: its private_metadata."""

    code: str
    seq: int
    fp: list[dict[str, str]]  # per row: field -> fingerprint
    fs: list[str]  # per row: the funding status the select started at


@dataclass
class Plan:
    items: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # block_id -> message
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # block_id -> fields
    shown: list[dict[str, Any]] = field(default_factory=list)  # what a re-shown form holds


def read_metadata(raw: str | None) -> Built | None:
    try:
        d = json.loads(raw or "")
        return Built(str(d["code"]), int(d["seq"]), list(d["fp"]), list(d["fs"]))
    except (ValueError, KeyError, TypeError):
        return None


def split_lines(text: str | None) -> list[str]:
    """An input's text as report lines: one per line typed, blank ones dropped."""
    return [one_line(x) for x in (text or "").split("\n") if x.strip()]


def read_values(view: dict, rows: int) -> list[dict[str, Any]]:
    """Per row, what the inputs hold; a field the form did not show is absent."""
    state = (view.get("state") or {}).get("values") or {}
    out: list[dict[str, Any]] = []
    for i in range(rows):
        got: dict[str, Any] = {}
        for name in (*TEXT_FIELDS, "flines"):
            entry = (state.get(block_id(i, name)) or {}).get(ACTION)
            if entry is not None:
                got[name] = split_lines(entry.get("value"))
        select = (state.get(block_id(i, "fstatus")) or {}).get(ACTION) or {}
        got["fstatus"] = (select.get("selected_option") or {}).get("value")
        out.append(got)
    return out


def _too_long(lines: list[str]) -> str | None:
    text = "\n".join(lines)
    if len(text) > INPUT_MAX:
        return f"This holds at most {INPUT_MAX:,} characters; it has {len(text):,}."
    return None


def plan(a: Activity, built: Built, values: list[dict[str, Any]]) -> Plan:
    """What to commit, or why not: pure, from the activity as it is now."""
    # What the person changed differs from the form's fingerprint. If someone else changed
    # that field since the form opened, it is a conflict: shown, never overwritten. The
    # commit's old values are the current ones, so a change landing after this plan is
    # still caught by the store.
    p = Plan()
    target = f"activity:{a.code}"
    for i, row in enumerate(a.rows):
        cur, fp, v = row_values(row), built.fp[i], values[i]
        shown = {**cur, "fs": row.funding.status}
        p.shown.append(shown)
        for name in TEXT_FIELDS:
            new = v.get(name)
            if new is None or fingerprint(new) == fp.get(name):
                continue  # not in the form, or as the form showed it
            shown[name] = new
            bid = block_id(i, name)
            if problem := _too_long(new):
                p.errors[bid] = problem
            elif new != cur[name] and fingerprint(cur[name]) != fp.get(name):
                p.conflicts[bid] = [f"rows.{i}.{name}"]
            elif new != cur[name]:
                p.items.append((target, f"rows.{i}.{name}", cur[name], new))
        _plan_funding(p, a, i, built, v)
    return p


def _plan_funding(p: Plan, a: Activity, i: int, built: Built, v: dict[str, Any]) -> None:
    row, fp, shown = a.rows[i], built.fp[i], p.shown[i]
    cur = row_values(row)
    status = v.get("fstatus") or built.fs[i]
    words: list[str] | None = v.get("flines")
    words_changed = words is not None and fingerprint(words) != fp.get("funding_lines")
    status_changed = status != built.fs[i]
    if not words_changed and not status_changed:
        return
    shown["fs"] = status
    words_id, status_id = block_id(i, "flines"), block_id(i, "fstatus")
    if words is not None and words_changed:
        shown["funding_lines"] = words
        if problem := _too_long(words):
            p.errors[words_id] = problem
            return
        got = read_funding(words)
        if got.status != status:
            read, chosen = (FUNDING_LABELS.get(x, x) for x in (got.status, status))
            p.errors[words_id] = (
                f'These words read as "{read}" but Funding says "{chosen}". '
                "Make them agree, or put the words back as they were and brs rewords them."
            )
            return
        lines, funding = words, asdict(got)
    elif status == "mixed":
        p.errors[status_id] = "Mixed funding comes from the words: say which part is funded how."
        return
    else:
        try:
            lines, funding = compose_funding(row, status)
        except CommandError as e:
            p.errors[status_id] = str(e)
            return
    if lines == cur["funding_lines"] and funding == cur["funding"]:
        return
    stale = fingerprint(cur["funding_lines"]) != fp.get("funding_lines") or fingerprint(
        cur["funding"]
    ) != fp.get("funding")
    if stale:
        p.conflicts[words_id if words_changed else status_id] = [
            f"rows.{i}.funding",
            f"rows.{i}.funding_lines",
        ]
        return
    target = f"activity:{a.code}"
    p.items.append((target, f"rows.{i}.funding", cur["funding"], funding))
    p.items.append((target, f"rows.{i}.funding_lines", cur["funding_lines"], lines))


# --- answering the submission --------------------------------------------------------------


def _conflict(store: Store, a: Activity, built: Built, p: Plan) -> Conflict:
    since = [
        r
        for r in store.history(a.code, newest=500)
        if r.seq > built.seq and r.target == f"activity:{a.code}"
    ]
    clashes = []
    for bid, fields in p.conflicts.items():
        by = [r for r in since if r.field in fields or not r.field]
        i = int(bid[1:].partition(".")[0])
        now = row_values(a.rows[i])[fields[-1].rpartition(".")[2]]
        clashes.append(Clash(bid, fields[-1], by[-1] if by else None, now))
    last = store.last_change(a.code)
    return Conflict(a, last.seq if last else 0, p.shown, tuple(clashes))


def submit(store: Store, view: dict, user: str, settings: Settings) -> Outcome:
    """What became of a submitted form: saved, refused, or why not."""
    # Here, not at the top: store.storage loads TinyDB, which read-only answers never need.
    from store.storage import ChangedMeanwhile

    built = read_metadata(view.get("private_metadata"))
    # BRS_EDITORS or the activity's owners may have changed since it opened
    if refused := check(settings, user, store=store, code=built.code if built else None):
        return refused
    if built is None:
        return FormUnreadable()
    for _ in range(RETRIES):
        a = store.activity(built.code)
        if a is None or len(a.rows) != len(built.fp):
            return FormGone(built.code, removed=a is None)
        p = plan(a, built, read_values(view, len(a.rows)))
        if p.errors:
            return FieldErrors(p.errors)
        if p.conflicts:
            return _conflict(store, a, built, p)
        if not p.items:
            return NothingChanged(a.code)
        try:
            records = store.commit(user, p.items)
        except ChangedMeanwhile:
            continue  # landed between plan and commit: plan again, now it is a conflict
        return Saved(a.code, len(a.rows), tuple(records))
    return TooBusy(built.code)
