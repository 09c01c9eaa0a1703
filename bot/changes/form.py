"""A submitted `/brs edit` form: check it, find what changed meanwhile, commit, answer the ack."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.changes.edits import RETRIES, Store, compose_funding
from bot.grammar import CommandError
from bot.grammar.edits import one_line
from bot.render import cut, escape_mrkdwn, fmt_when, fmt_who
from bot.render.form import (
    ACTION,
    INPUT_MAX,
    TEXT_FIELDS,
    block_id,
    edit_view,
    fingerprint,
    message_view,
    row_values,
)
from bot.render.history import describe_batch, field_label
from store.model import FUNDING_LABELS, Activity
from store.report.funding import read_funding


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


def _label(status: str) -> str:
    return FUNDING_LABELS.get(status, status)


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
    words = v.get("flines")
    words_changed = words is not None and fingerprint(words) != fp.get("funding_lines")
    status_changed = status != built.fs[i]
    if not words_changed and not status_changed:
        return
    shown["fs"] = status
    words_id, status_id = block_id(i, "flines"), block_id(i, "fstatus")
    if words_changed:
        shown["funding_lines"] = words
        if problem := _too_long(words):
            p.errors[words_id] = problem
            return
        got = read_funding(words)
        if got.status != status:
            p.errors[words_id] = (
                f'These words read as "{_label(got.status)}" but Funding says "{_label(status)}". '
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


def _update(view: dict) -> dict:
    return {"response_action": "update", "view": view}


def _conflict_view(store: Store, a: Activity, built: Built, p: Plan) -> dict:
    since = [
        r
        for r in store.history(a.code, newest=500)
        if r.seq > built.seq and r.target == f"activity:{a.code}"
    ]
    lines, notes = [], {}
    for bid, fields in p.conflicts.items():
        by = [r for r in since if r.field in fields or not r.field]
        who = f" — {fmt_who(by[-1].user)}, {fmt_when(by[-1].at)}" if by else ""
        label = escape_mrkdwn(field_label(fields[-1], len(a.rows)))
        lines.append(f"• *{label}*{who}")
        i = int(bid[1:].partition(".")[0])
        now = row_values(a.rows[i])[fields[-1].rpartition(".")[2]]
        saved = " / ".join(now) if isinstance(now, list) else str(now)
        notes[bid] = f"Saved meanwhile: “{escape_mrkdwn(cut(saved, 1500))}”"
    warning = (
        f":warning: While you were editing, someone saved changes to *{escape_mrkdwn(a.code)}*:\n"
        + "\n".join(lines)
        + "\nYour text is still in the form, with what is saved now under it. "
        "*Save* again to replace that with yours, or *Cancel* to keep it."
    )
    last = store.last_change(a.code)
    return edit_view(a, last.seq if last else 0, shown=p.shown, notes=notes, warning=warning)


def _saved_view(a: Activity, records: list[Any]) -> dict:
    said = describe_batch(records, len(a.rows))
    lines = "\n".join(f"• {x}" for x in said[:15])
    more = f"\n… and {len(said) - 15} more" if len(said) > 15 else ""
    code = escape_mrkdwn(a.code)
    n = len(said)
    return message_view(
        f"Saved {a.code}",
        f":white_check_mark: Saved {n} change{'s' if n != 1 else ''} to *{code}*:\n{lines}{more}",
        f"`/brs {code}` shows the card · `/brs undo {code}` takes it back",
    )


def submit(store: Store, view: dict, user: str) -> dict:
    """The ack for a submitted form (the caller checked that `user` is an editor)."""
    from store.storage import ChangedMeanwhile

    built = read_metadata(view.get("private_metadata"))
    if built is None:
        return _update(message_view("Edit", "This form cannot be read; open it again."))
    for _ in range(RETRIES):
        a = store.activity(built.code)
        if a is None or len(a.rows) != len(built.fp):
            what = "removed" if a is None else "re-imported with other requests"
            text = (
                f"*{escape_mrkdwn(built.code)}* was {what} while you were editing; "
                "nothing was saved."
            )
            return _update(message_view(f"Edit {built.code}", text))
        p = plan(a, built, read_values(view, len(a.rows)))
        if p.errors:
            return {"response_action": "errors", "errors": p.errors}
        if p.conflicts:
            return _update(_conflict_view(store, a, built, p))
        if not p.items:
            text = f"Nothing changed in *{escape_mrkdwn(a.code)}*; nothing was saved."
            return _update(message_view(f"Edit {a.code}", text))
        try:
            records = store.commit(user, p.items)
        except ChangedMeanwhile:
            continue  # landed between plan and commit: plan again, now it is a conflict
        return _update(_saved_view(a, records))
    text = "The activity is changing too often right now; nothing was saved, try again."
    return _update(message_view(f"Edit {built.code}", text))
