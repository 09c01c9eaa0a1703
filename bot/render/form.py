"""The `/brs edit` form as Block Kit: an input per field of each row, and what it was built from."""

from __future__ import annotations

from typing import Any

from bot.changes.edits import BUSY
from bot.changes.form import ACTION, INPUT_MAX, TEXT_FIELDS, block_id, metadata, row_values
from bot.changes.outcomes import (
    Conflict,
    FieldErrors,
    FormGone,
    FormUnreadable,
    NothingChanged,
    Outcome,
    Refused,
    Saved,
    TooBusy,
)
from bot.render.blocks import context, cut, divider, escape_mrkdwn, plain, section
from bot.render.format import fmt_when, fmt_who
from bot.render.history import describe_batch, field_label
from store.model import FUNDING_LABELS, Activity

CALLBACK_ID = "brs_edit"
METADATA_MAX = 3000
MAX_ROWS = 10  # 7 blocks a row, a warning and notes: well inside a modal's 100 blocks
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


def _context(text: str) -> dict:
    return context(cut(text, 2000))


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
        "label": plain(label),
        "element": element,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def _option(value: str, text: str) -> dict:
    return {"text": plain(text), "value": value}


def _funding_select(bid: str, label: str, status: str) -> dict:
    choices = dict(FUNDING_CHOICES)
    if status not in choices:  # "mixed" is offered only to keep it
        choices[status] = MIXED_CHOICE if status == "mixed" else FUNDING_LABELS.get(status, status)
    options = [_option(v, t) for v, t in choices.items()]
    return {
        "type": "input",
        "block_id": bid,
        "label": plain(label),
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
    blocks: list[dict] = [divider()] if several else []
    requests = "\n".join(f"• {escape_mrkdwn(x)}" for x in row.requests) or "_none listed_"
    head = f"*Request {i + 1} of {len(a.rows)}*\n" if several else "*Decision requests*\n"
    blocks.append(_context(head + requests))
    fields = [*TEXT_FIELDS.items()]
    for name, label in fields[:2] + [("funding", "")] + fields[2:]:
        if name == "funding":
            blocks.append(_funding_select(block_id(i, "fstatus"), "Funding" + suffix, shown["fs"]))
            name, label = "flines", WORDS_LABEL
            text = "\n".join(shown["funding_lines"])
        else:
            text = "\n".join(shown[name])
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
    blocks: list[dict] = [section(title)]
    if warning:
        blocks.append(section(cut(warning, 3000)))
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
        "title": plain(cut(f"Edit {a.code}", 24)),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "private_metadata": metadata(a, seq),
        "blocks": blocks,
    }


def message_view(title: str, text: str, note: str = "") -> dict:
    """A form replaced by a message: saved, refused, or gone."""
    blocks: list[dict] = [section(cut(text, 3000))]
    if note:
        blocks.append(_context(note))
    return {
        "type": "modal",
        "callback_id": f"{CALLBACK_ID}_done",
        "title": plain(cut(title, 24)),
        "close": plain("Close"),
        "blocks": blocks,
    }


# --- the ack of a submitted form ---------------------------------------------------------------


def _conflict_view(c: Conflict) -> dict:
    a = c.activity
    lines, notes = [], {}
    for clash in c.clashes:
        by = clash.by
        who = f" — {fmt_who(by.user)}, {fmt_when(by.at)}" if by else ""
        label = escape_mrkdwn(field_label(clash.field, len(a.rows)))
        lines.append(f"• *{label}*{who}")
        now = clash.now
        saved = " / ".join(now) if isinstance(now, list) else str(now)
        notes[clash.block_id] = f"Saved meanwhile: “{escape_mrkdwn(cut(saved, 1500))}”"
    warning = (
        f":warning: While you were editing, someone saved changes to *{escape_mrkdwn(a.code)}*:\n"
        + "\n".join(lines)
        + "\nYour text is still in the form, with what is saved now under it. "
        "*Save* again to replace that with yours, or *Cancel* to keep it."
    )
    return edit_view(a, c.seq, shown=c.shown, notes=notes, warning=warning)


def _saved_view(s: Saved) -> dict:
    said = describe_batch(list(s.records), s.rows)
    lines = "\n".join(f"• {x}" for x in said[:15])
    more = f"\n… and {len(said) - 15} more" if len(said) > 15 else ""
    code = escape_mrkdwn(s.code)
    n = len(said)
    return message_view(
        f"Saved {s.code}",
        f":white_check_mark: Saved {n} change{'s' if n != 1 else ''} to *{code}*:\n{lines}{more}",
        f"`/brs {code}` shows the card · `/brs undo {code}` takes it back",
    )


def _view(outcome: Outcome) -> dict:
    match outcome:
        case Refused():
            return message_view("Not saved", outcome.why, outcome.how_to_fix)
        case FormUnreadable():
            return message_view("Edit", "This form cannot be read; open it again.")
        case FormGone():
            what = "removed" if outcome.removed else "re-imported with other requests"
            text = (
                f"*{escape_mrkdwn(outcome.code)}* was {what} while you were editing; "
                "nothing was saved."
            )
            return message_view(f"Edit {outcome.code}", text)
        case Conflict():
            return _conflict_view(outcome)
        case NothingChanged():
            text = f"Nothing changed in *{escape_mrkdwn(outcome.code)}*; nothing was saved."
            return message_view(f"Edit {outcome.code}", text)
        case Saved():
            return _saved_view(outcome)
        case TooBusy():
            return message_view(f"Edit {outcome.code}", BUSY)
    raise TypeError(f"not a form outcome: {outcome!r}")


def form_ack(outcome: Outcome) -> dict:
    """The ack for a submitted form: errors under the inputs, or the view that replaces it."""
    if isinstance(outcome, FieldErrors):
        return {"response_action": "errors", "errors": outcome.errors}
    return {"response_action": "update", "view": _view(outcome)}
