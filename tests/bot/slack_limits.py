"""A reusable check that blocks and fallback text stay within Slack's Block Kit limits."""

from __future__ import annotations

import re
from typing import Any

# Slack's documented limits, plus the ~13,000-character message ceiling measured in STACK-NOTES.
LIMITS = {
    "blocks": 50,
    "header": 150,
    "section": 3000,
    "field": 2000,
    "fields": 10,
    "context_elements": 10,
    "context_text": 3000,
    "button_text": 75,
    "button_value": 2000,
    "action_id": 255,
    "block_id": 255,
    "total_text": 12_000,
}
# What may stand in mrkdwn we send: our own user mentions, and escaped entities.
_SAFE_ANGLE = re.compile(r"<@[UW][A-Z0-9]+>")
_BARE_AMP = re.compile(r"&(?!amp;|lt;|gt;)")


def _mrkdwn_problems(where: str, text: str) -> list[str]:
    rest = _SAFE_ANGLE.sub("", text)
    found = []
    if "<" in rest or ">" in rest:
        found.append(f"{where}: unescaped < or > in mrkdwn: {rest[:80]!r}")
    if _BARE_AMP.search(rest):
        found.append(f"{where}: unescaped & in mrkdwn: {rest[:80]!r}")
    return found


def _text(where: str, obj: Any, limit: int, out: list[str]) -> int:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        out.append(f"{where}: not a text object: {obj!r:.80}")
        return 0
    text = obj["text"]
    if not text.strip():
        out.append(f"{where}: empty text")
    if len(text) > limit:
        out.append(f"{where}: {len(text)} characters, limit {limit}")
    if obj.get("type") == "mrkdwn":
        out.extend(_mrkdwn_problems(where, text))
    return len(text)


def problems(blocks: list[dict], text: str | None = None) -> list[str]:
    """Every way these blocks (and fallback text) would be rejected or unsafe; [] if none."""
    L, out, total = LIMITS, [], 0
    if len(blocks) > L["blocks"]:
        out.append(f"{len(blocks)} blocks, limit {L['blocks']}")
    for i, b in enumerate(blocks):
        kind, where = b.get("type"), f"block {i} ({b.get('type')})"
        if len(b.get("block_id", "")) > L["block_id"]:
            out.append(f"{where}: block_id too long")
        if kind == "header":
            if b["text"].get("type") != "plain_text":
                out.append(f"{where}: header text must be plain_text")
            total += _text(where, b["text"], L["header"], out)
        elif kind == "section":
            fields = b.get("fields", [])
            if "text" not in b and not fields:
                out.append(f"{where}: neither text nor fields")
            if "text" in b:
                total += _text(where, b["text"], L["section"], out)
            if len(fields) > L["fields"]:
                out.append(f"{where}: {len(fields)} fields, limit {L['fields']}")
            total += sum(_text(f"{where} field", f, L["field"], out) for f in fields)
        elif kind == "context":
            elements = b.get("elements", [])
            if not 1 <= len(elements) <= L["context_elements"]:
                out.append(f"{where}: {len(elements)} elements, allowed 1 to 10")
            total += sum(_text(where, e, L["context_text"], out) for e in elements)
        elif kind == "actions":
            for e in b.get("elements", []):
                total += _text(f"{where} button", e.get("text"), L["button_text"], out)
                if len(e.get("value", "")) > L["button_value"]:
                    out.append(f"{where}: button value too long")
                if not 0 < len(e.get("action_id", "")) <= L["action_id"]:
                    out.append(f"{where}: bad action_id")
        elif kind != "divider":
            out.append(f"{where}: unexpected block type")
    if total > L["total_text"]:
        out.append(f"{total} characters of block text, limit {L['total_text']}")
    if text is not None:
        if not text.strip():
            out.append("empty fallback text")
        out.extend(_mrkdwn_problems("fallback text", text))
    return out


def assert_fits(reply: Any) -> None:
    """Fail with every problem found in a Reply (or anything with .blocks and .text)."""
    found = problems(reply.blocks, reply.text)
    assert not found, "\n".join(found)


def share_value(reply: Any) -> str | None:
    """The Share button's value if the reply ends with one, else None."""
    last = reply.blocks[-1] if reply.blocks else {}
    if last.get("type") != "actions":
        return None
    buttons = [e for e in last["elements"] if e.get("action_id") == "share"]
    return buttons[0]["value"] if buttons else None
