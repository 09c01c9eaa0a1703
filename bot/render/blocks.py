"""Block Kit as plain dicts: small builders, Slack's limits, and the fit every reply passes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Slack's Block Kit limits; Slack checks them, nothing on our side does but fit().
MAX_BLOCKS = 50
HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
FIELDS_MAX = 10
CONTEXT_MAX = 10
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
TOTAL_MAX = 12_000  # Slack rejects messages of about 13,000 characters of block text
FULL_TEXT = "full text: brs export --format md"
_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")


@dataclass(frozen=True)
class Reply:
    blocks: list[dict]
    text: str  # the notification fallback, mrkdwn


@dataclass(frozen=True)
class OpenModal(Reply):
    """`/brs edit`: Slack opens `view` (views.open); the console shows the blocks instead."""

    view: dict


# --- builders -------------------------------------------------------------------------------


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def section(text: str, accessory: dict | None = None) -> dict:
    block: dict[str, Any] = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    return block


def fields_section(*texts: str) -> dict:
    """A section of mrkdwn fields, shown two to a line."""
    return {"type": "section", "fields": [mrkdwn(t) for t in texts]}


def header(text: str) -> dict:
    return {"type": "header", "text": plain(text)}


def context(*texts: str, block_id: str | None = None) -> dict:
    block: dict[str, Any] = {"type": "context", "elements": [mrkdwn(t) for t in texts]}
    if block_id:
        block["block_id"] = block_id
    return block


def divider() -> dict:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    element = {"type": "button", "text": plain(text), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def actions(*elements: dict, block_id: str | None = None) -> dict:
    block: dict[str, Any] = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


# --- text -------------------------------------------------------------------------------------


def escape_mrkdwn(text: str) -> str:
    """Make report or user text inert in mrkdwn: no pings, no forged links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int, more: str = "") -> str:
    """Shorten to `limit` characters with "…" (and `more`), never splitting an &entity;."""
    if len(text) <= limit:
        return text
    tail = f"… ({more})" if more else "…"
    head = _ENTITY_TAIL.sub("", text[: max(limit - len(tail), 0)])
    return (head.rstrip() + tail)[:limit]


def _split(text: str, limit: int) -> list[str]:
    """Split mrkdwn into chunks of at most `limit` characters, at line ends where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line longer than a block: break it at a space
            at = line.rfind(" ", limit // 2, limit)
            at = at if at > 0 else limit
            head = _ENTITY_TAIL.sub("", line[:at])
            chunks += [current] if current else []
            chunks.append(head)
            current, line = "", line[len(head) :].lstrip()
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [c for c in [*chunks, current] if c.strip()] or [text[:limit]]


# --- fitting ----------------------------------------------------------------------------------


def _cut_text(obj: dict, limit: int) -> dict:
    return {**obj, "text": cut(obj["text"], limit)} if len(obj.get("text", "")) > limit else obj


def _fit_block(b: dict) -> list[dict]:
    """One block within its own limits: long text cut or split; most blocks pass untouched.

    The caller's dicts are never changed: a cached reply may be fitted again.
    """
    kind = b.get("type")
    if kind == "header":
        return [{**b, "text": _cut_text(b["text"], HEADER_MAX)}]
    if kind == "section":
        fields = [_cut_text(f, FIELD_MAX) for f in b.get("fields", ())]
        text = b.get("text")
        if len(fields) > FIELDS_MAX or (text and len(text["text"]) > SECTION_MAX):
            out = [section(t) for t in _split(text["text"], SECTION_MAX)] if text else []
            chunks = range(0, len(fields), FIELDS_MAX)
            return out + [{"type": "section", "fields": fields[i : i + FIELDS_MAX]} for i in chunks]
        return [{**b, "fields": fields} if fields else b]
    if kind == "context":
        elements = [_cut_text(e, FIELD_MAX) if "text" in e else e for e in b["elements"]]
        if len(elements) <= CONTEXT_MAX:
            return [{**b, "elements": elements}]
        chunks = range(0, len(elements), CONTEXT_MAX)
        return [{**b, "elements": elements[i : i + CONTEXT_MAX]} for i in chunks]
    if kind == "actions":
        return [{**b, "elements": [_fit_button(e) for e in b["elements"]]}]
    return [b]


def _fit_button(e: dict) -> dict:
    if "text" in e:
        e = {**e, "text": _cut_text(e["text"], BUTTON_TEXT_MAX)}
    if e.get("value"):
        e = {**e, "value": e["value"][:BUTTON_VALUE_MAX]}
    return e


def _text_len(d: dict) -> int:
    n = len(d.get("text", {}).get("text", ""))
    for e in (*d.get("fields", ()), *d.get("elements", ())):
        t = e.get("text", "")
        n += len(t["text"] if isinstance(t, dict) else t)
    return n


def fit(blocks: list[dict], more: str = FULL_TEXT) -> list[dict]:
    """The one place every reply passes through to respect Slack's limits."""
    fitted = [x for b in blocks for x in _fit_block(b)]
    tail = [x for x in fitted if x["type"] == "actions"]  # Share stays last
    body = [x for x in fitted if x["type"] != "actions"]
    pointer = context(f"… ({more})")
    room = MAX_BLOCKS - len(tail) - 1
    budget = TOTAL_MAX - sum(_text_len(d) for d in tail) - len(more) - 10
    out: list[dict] = []
    for i, d in enumerate(body):
        size = _text_len(d)
        if size <= budget and (len(out) < room or (len(out) == room and i == len(body) - 1)):
            out.append(d)
            budget -= size
            continue
        if d["type"] == "section" and "text" in d and budget > 200 and len(out) < room:
            out.append({**d, "text": {**d["text"], "text": cut(d["text"]["text"], budget)}})
        out.append(pointer)
        break
    return out + tail


def error_reply(message: str) -> Reply:
    """A short ephemeral error: no share button."""
    text = cut(escape_mrkdwn(message), SECTION_MAX)
    return Reply(fit([section(text)]), cut(text, 300))
