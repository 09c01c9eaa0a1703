"""Show Block Kit blocks as readable plain text for a terminal."""

from __future__ import annotations

import re

_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")
# Slack's own markup: <@U123>, <#C123|name>, <!here>, <https://x|label>, <https://x>.
_ANGLE = re.compile(r"<([@#!])([^|>]+)(?:\|([^>]*))?>|<([^|>]+)\|([^>]*)>|<([^|>]+)>")


def _angle(m: re.Match) -> str:
    sigil, ref, label, url, text, bare = m.groups()
    if sigil:
        return f"{'#' if sigil == '#' else '@'}{label or ref}"
    return f"{text} ({url})" if url else bare


# Slack draws these shortcodes as pictures; a terminal shows the characters instead.
_EMOJI = {":alarm_clock:": "⏰", ":warning:": "⚠️", ":white_check_mark:": "✅"}
_SHORTCODE = re.compile("|".join(map(re.escape, _EMOJI)))


def mrkdwn_to_text(text: str) -> str:
    """Drop mrkdwn markers and entities; what a reader would see in Slack."""
    text = _SHORTCODE.sub(lambda m: _EMOJI[m.group(0)], text)
    text = _ANGLE.sub(_angle, text)
    text = _CODE.sub(r"\1", _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text)))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: dict | str | None) -> str:
    if isinstance(obj, dict):
        raw = obj.get("text", "")
        return mrkdwn_to_text(raw) if obj.get("type") == "mrkdwn" else raw
    return obj or ""


def _field(obj: dict) -> str:
    label, _, value = _text(obj).partition("\n")
    if not value:
        return label
    return f"{label}: " + value.replace("\n", "\n  ")


def _block(b: dict) -> str | None:
    kind = b.get("type")
    if kind == "header":
        title = _text(b.get("text"))
        return f"{title}\n{'=' * len(title)}"
    if kind == "section":
        parts = [_text(b["text"])] if b.get("text") else []
        parts += [_field(f) for f in b.get("fields", ())]
        return "\n".join(parts)
    if kind == "context":
        return " · ".join(_text(e) for e in b.get("elements", ()) if "text" in e)
    if kind == "divider":
        return ""
    if kind == "actions":
        return " ".join(f"[{_text(e.get('text'))}]" for e in b.get("elements", ()))
    return None  # blocks we never send (images, inputs) have no text form


def blocks_to_text(blocks: list[dict]) -> str:
    """Render blocks as plain text: the console's view of a Slack reply."""
    out, previous = "", None
    for b in blocks:
        text = _block(b)
        if text is None:
            continue
        # A blank line between blocks, as Slack spaces them; a header's context hugs it.
        glue = "\n" if (previous, b["type"]) == ("header", "context") else "\n\n"
        out = f"{out}{glue}{text}" if out else text
        previous = b["type"]
    return re.sub(r"\n{3,}", "\n\n", out).strip("\n")
