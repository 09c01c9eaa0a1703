"""The `/brs edit` form as Block Kit: an input per field of each row, and what it was built from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from bot.render import cut, escape_mrkdwn
from store.model import FUNDING_LABELS, Activity, Row

CALLBACK_ID = "brs_edit"
ACTION = "v"  # every input's action_id; inputs are told apart by block_id
INPUT_MAX = 3000  # Slack's plain_text_input limit, and the length of a line brs accepts
METADATA_MAX = 3000
MAX_ROWS = 10  # 7 blocks a row, a warning and notes: well inside a modal's 100 blocks
TEXT_FIELDS = {
    "status": "Status of implementation",
    "next_steps": "Next steps",
    "implications": "Implications if funding is missing",
}
FUNDING_CHOICES = {
    "none": "No funding needed",
    "not_yet": "Needed · not yet funded",
    "partly": "Needed · partly funded",
    "fully": "Needed · fully funded",
}
MIXED_CHOICE = "Needed · mixed, as the words say"
WORDS_LABEL = "Funding, in words"
WORDS_HINT = (
    "As the report words it. Leave it as it is when you change the funding above, "
    "and brs rewords it; if you change it, it must say the same status."
)


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


def lines_text(lines: list[str] | tuple[str, ...]) -> str:
    return "\n".join(lines)


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _md(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [_md(cut(text, 2000))]}


def _text_input(bid: str, label: str, text: str, hint: str = "") -> dict:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ACTION,
        "multiline": True,
        "max_length": INPUT_MAX,
    }
    if text:
        element["initial_value"] = text
    block = {
        "type": "input",
        "block_id": bid,
        "optional": True,
        "label": _plain(label),
        "element": element,
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _option(value: str, text: str) -> dict:
    return {"text": _plain(text), "value": value}


def _funding_select(bid: str, label: str, status: str) -> dict:
    choices = dict(FUNDING_CHOICES)
    if status not in choices:  # "mixed" is offered only to keep it
        choices[status] = MIXED_CHOICE if status == "mixed" else FUNDING_LABELS.get(status, status)
    options = [_option(v, t) for v, t in choices.items()]
    return {
        "type": "input",
        "block_id": bid,
        "label": _plain(label),
        "element": {
            "type": "static_select",
            "action_id": ACTION,
            "options": options,
            "initial_option": _option(status, choices[status]),
        },
    }


def _too_long(label: str, chars: int, code: str) -> dict:
    return _context(
        f"*{label}* is {chars:,} characters, too long for this form; "
        f"change it with `/brs update {escape_mrkdwn(code)}` or in the report."
    )


def _row_blocks(a: Activity, i: int, shown: dict[str, Any], notes: dict[str, str]) -> list[dict]:
    several = len(a.rows) > 1
    suffix = f" · request {i + 1}" if several else ""
    row = a.rows[i]
    blocks: list[dict] = [{"type": "divider"}] if several else []
    requests = "\n".join(f"• {escape_mrkdwn(x)}" for x in row.requests) or "_none listed_"
    head = f"*Request {i + 1} of {len(a.rows)}*\n" if several else "*Decision requests*\n"
    blocks.append(_context(head + requests))
    fields = [*TEXT_FIELDS.items()]
    for name, label in fields[:2] + [("funding", "")] + fields[2:]:
        if name == "funding":
            blocks.append(_funding_select(block_id(i, "fstatus"), "Funding" + suffix, shown["fs"]))
            name, label = "flines", WORDS_LABEL
            text = lines_text(shown["funding_lines"])
        else:
            text = lines_text(shown[name])
        bid = block_id(i, name)
        if len(text) > INPUT_MAX:
            blocks.append(_too_long(label + suffix, len(text), a.code))
            continue
        hint = WORDS_HINT if name == "flines" else ""
        blocks.append(_text_input(bid, label + suffix, text, hint))
        if bid in notes:
            blocks.append(_context(notes[bid]))
    return blocks


def edit_view(
    a: Activity,
    seq: int,
    *,
    shown: list[dict[str, Any]] | None = None,
    notes: dict[str, str] | None = None,
    warning: str = "",
) -> dict:
    """The form for `a` as of history record `seq`.

    `shown` overrides what each row's inputs start with (a person's own text kept after a
    conflict); `notes` (block_id -> mrkdwn) go under inputs; `warning` goes on top.
    """
    if len(a.rows) > MAX_ROWS:
        raise ValueError(f"{a.code} has {len(a.rows)} requests; the form holds {MAX_ROWS}")
    start = [{**row_values(r), "fs": r.funding.status} for r in a.rows]
    shown = shown or start
    title = f"*{escape_mrkdwn(a.code)} · {escape_mrkdwn(cut(a.title, 200))}*"
    blocks: list[dict] = [{"type": "section", "text": _md(title)}]
    if warning:
        blocks.append({"type": "section", "text": _md(cut(warning, 3000))})
    blocks.append(
        _context(
            "One line per item; empty lines are dropped. Decision requests are the COP's "
            "and stay as they are. Every change goes into `/brs history`."
        )
    )
    for i in range(len(a.rows)):
        blocks += _row_blocks(a, i, shown[i], notes or {})
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain(cut(f"Edit {a.code}", 24)),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "private_metadata": metadata(a, seq),
        "blocks": blocks,
    }


def message_view(title: str, text: str, note: str = "") -> dict:
    """A form replaced by a message: saved, refused, or gone."""
    blocks: list[dict] = [{"type": "section", "text": _md(cut(text, 3000))}]
    if note:
        blocks.append(_context(note))
    return {
        "type": "modal",
        "callback_id": f"{CALLBACK_ID}_done",
        "title": _plain(cut(title, 24)),
        "close": _plain("Close"),
        "blocks": blocks,
    }
