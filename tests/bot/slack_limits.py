"""A reusable check that blocks and fallback text stay within Slack's Block Kit limits."""

from __future__ import annotations

import re
from typing import Any

# Slack's documented limits, plus the ~13,000-character message ceiling measured in STACK-NOTES.
LIMITS = {
    "blocks": 50,
    "view_blocks": 100,  # a modal or Home tab
    "actions_elements": 25,
    "options": 100,
    "private_metadata": 3000,
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


def _element(where: str, e: Any, out: list[str]) -> int:
    """A button or select (an actions element or a section's accessory); its text's length."""
    L = LIMITS
    if not isinstance(e, dict) or e.get("type") not in ("button", "static_select", "overflow"):
        out.append(f"{where}: unexpected element {e!r:.80}")
        return 0
    if not 0 < len(e.get("action_id", "")) <= L["action_id"]:
        out.append(f"{where}: bad action_id")
    if e["type"] == "button":
        if len(e.get("value", "")) > L["button_value"]:
            out.append(f"{where}: button value too long")
        return _text(f"{where} button", e.get("text"), L["button_text"], out)
    options = e.get("options", [])
    if not 1 <= len(options) <= L["options"]:
        out.append(f"{where}: {len(options)} options, allowed 1 to {L['options']}")
    return sum(_text(f"{where} option", o.get("text"), L["button_text"], out) for o in options)


def problems(
    blocks: list[dict], text: str | None = None, *, max_blocks: int = LIMITS["blocks"]
) -> list[str]:
    """Every way these blocks (and fallback text) would be rejected or unsafe; [] if none."""
    L, out, total = LIMITS, [], 0
    if len(blocks) > max_blocks:
        out.append(f"{len(blocks)} blocks, limit {max_blocks}")
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
            if "accessory" in b:
                total += _element(f"{where} accessory", b["accessory"], out)
        elif kind == "context":
            elements = b.get("elements", [])
            if not 1 <= len(elements) <= L["context_elements"]:
                out.append(f"{where}: {len(elements)} elements, allowed 1 to 10")
            total += sum(_text(where, e, L["context_text"], out) for e in elements)
        elif kind == "actions":
            elements = b.get("elements", [])
            if not 1 <= len(elements) <= L["actions_elements"]:
                out.append(f"{where}: {len(elements)} elements, allowed 1 to 25")
            ids = [e.get("action_id") for e in elements if isinstance(e, dict)]
            if len(ids) != len(set(ids)):
                out.append(f"{where}: action_ids repeat within the block")
            total += sum(_element(where, e, out) for e in elements)
        elif kind == "input":  # modals only
            total += _text(f"{where} label", b.get("label"), L["field"], out)
        elif kind != "divider":
            out.append(f"{where}: unexpected block type")
    if total > L["total_text"]:
        out.append(f"{total} characters of block text, limit {L['total_text']}")
    if text is not None:
        if not text.strip():
            out.append("empty fallback text")
        out.extend(_mrkdwn_problems("fallback text", text))
    return out


def view_problems(view: dict) -> list[str]:
    """Every way a modal or Home tab view would be rejected or unsafe: 100 blocks, and the rest."""
    out = []
    if view.get("type") not in ("home", "modal"):
        out.append(f"view type {view.get('type')!r}")
    if len(view.get("private_metadata", "")) > LIMITS["private_metadata"]:
        out.append("private_metadata too long")
    if len(view.get("callback_id", "")) > LIMITS["action_id"]:
        out.append("callback_id too long")
    if view.get("type") == "modal":
        for key in ("title", "close", "submit"):
            if key in view and len(view[key].get("text", "")) > 24:
                out.append(f"modal {key} longer than 24 characters")
    return out + problems(view.get("blocks", []), max_blocks=LIMITS["view_blocks"])


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
