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


def without_prefix(text: str) -> list[str]:
    """The words of a command, without a leading "/brs"."""
    words = unescape(text).split()
    return words[1:] if words and words[0].lower() == "/brs" else words


def check_length(text: str, what: str) -> str:
    """`text` if it fits in one line of the report; CommandError with the count otherwise."""
    if len(text) > MAX_TEXT:
        raise CommandError(
            f"{what} is {len(text):,} characters; at most {MAX_TEXT:,} fit. "
            "Shorten it and try again."
        )
    return text
