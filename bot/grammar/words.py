"""Words every part of the grammar shares: the code pattern, funding groups, CommandError."""

from __future__ import annotations

import difflib
import re

# "S17", "s17", also codes other reports may use such as "T3" or "AB12".
CODE_RE = re.compile(r"[A-Za-z]+\d+")

# Spellings people type for each funding group, mapped to model.FUNDING_STATUSES.
FUNDING_GROUPS = {
    "not-yet": "not_yet",
    "not_yet": "not_yet",
    "notyet": "not_yet",
    "partly": "partly",
    "fully": "fully",
    "mixed": "mixed",
    "unclear": "unclear",
    "none": "none",
}
# Other words people use for a group (the one vocabulary: help, errors, CSV and Home say
# not-yet, partly, fully, mixed, unclear, none).
FUNDING_SYNONYMS = {
    "partially": "partly",
    "partial": "partly",
    "part": "partly",
    "full": "fully",
    "funded": "fully",
    "unfunded": "not-yet",
    "not-funded": "not-yet",
    "not-yet-funded": "not-yet",
    "no": "none",
    "not-needed": "none",
    "no-funding": "none",
    "no-funding-needed": "none",
}
# How each group is written back in a command (the Share button's value).
GROUP_WORDS = {
    "not_yet": "not-yet",
    "partly": "partly",
    "fully": "fully",
    "mixed": "mixed",
    "unclear": "unclear",
    "none": "none",
}


# Characters a person may type into one line of text (Slack's section limit): status lines,
# what a deadline is for, notes.
MAX_TEXT = 3000


class CommandError(ValueError):
    """Bad command text; the message is one line: what was wrong and the right form."""


def quote(text: str, limit: int = 30) -> str:
    """Echo what was typed, in quotes, on one short line."""
    text = " ".join(text.split())
    return f'"{text[: limit - 1]}…"' if len(text) > limit else f'"{text}"'


def close_to(typed: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The one choice a slip of the keyboard most likely meant ("serch" → "search")."""
    found = difflib.get_close_matches(typed.casefold(), choices, n=1, cutoff=0.75)
    return found[0] if found else None


def unescape(text: str) -> str:
    # Slack sends &, < and > in command text as entities; the console sends them raw.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# What Slack makes of what people type when the command escapes its text (the manifest's
# should_escape): <@U123|jane>, <#C123|general>, <!here>, <!subteam^S1|@team>, <https://x|x>.
_FORM = re.compile(r"<([@#!])([^|>]*)(?:\|([^>]*))?>|<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>")


def _typed(m: re.Match) -> str:
    sigil, ref, label, url, text = m.groups()
    if sigil == "!":
        if label:  # a user group, a date: Slack gives the words it shows
            return label
        return f"@{ref}" if ref in ("here", "channel", "everyone") else m.group(0)
    if sigil:
        return f"{sigil}{label or ref}"
    plain = url.removeprefix("mailto:")
    if not text or text in (url, plain):
        return plain  # a link Slack made of an address as typed
    if url.endswith("//" + text):
        return text  # "brs.int/x" typed; Slack added the scheme
    return f"{text} ({plain})"


def decode_slack(text: str) -> str:
    """Raw command text as the person typed it: Slack's mention, channel and link forms back
    to @jane, #general and the address, then its entities back to &, < and >."""
    return unescape(_FORM.sub(_typed, text))


def without_prefix(text: str, *, slack: bool = False) -> list[str]:
    """The words of a command, without a leading "/brs"; with `slack`, text from Slack decoded
    back to what was typed (decode_slack), else only its entities (the console types raw)."""
    words = (decode_slack(text) if slack else unescape(text)).split()
    return words[1:] if words and words[0].lower() == "/brs" else words


def check_length(text: str, what: str) -> str:
    """`text` if it fits in one line of the report; CommandError with the count otherwise."""
    if len(text) > MAX_TEXT:
        raise CommandError(
            f"{what} is {len(text):,} characters; at most {MAX_TEXT:,} fit. "
            "Shorten it and try again."
        )
    return text
