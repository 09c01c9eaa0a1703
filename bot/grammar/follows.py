"""The grammar of `/brs follow S8`, `/brs unfollow S8`, `/brs following` and `/brs dm off|on`.

Each changes only the asker's own subscription, so anyone may use them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.grammar.words import CODE_RE, CommandError, quote

VERBS = frozenset({"follow", "unfollow", "following", "dm", "dms"})
FOLLOW_FORM = "/brs follow S8 (stop: /brs unfollow S8; what you follow: /brs following)"
DM_FORM = "/brs dm off (or /brs dm on; /brs dm says which)"


@dataclass(frozen=True)
class Follow:
    code: str
    on: bool  # follow (True) or unfollow (False)


@dataclass(frozen=True)
class Following:
    """What the asker follows and owns, and whether they take reminders by DM."""


@dataclass(frozen=True)
class DirectMessages:
    on: bool | None  # None: just say which


Command = Follow | Following | DirectMessages


def parse(verb: str, rest: list[str]) -> Command:
    if verb == "following":
        if rest:
            raise CommandError(f'"following" takes nothing after it; like: {FOLLOW_FORM}')
        return Following()
    if verb in ("dm", "dms"):
        if not rest:
            return DirectMessages(None)
        word = rest[0].lower()
        if len(rest) > 1 or word not in ("on", "off"):
            raise CommandError(f"Say on or off, not {quote(' '.join(rest))}; like: {DM_FORM}")
        return DirectMessages(word == "on")
    if len(rest) != 1 or not CODE_RE.fullmatch(rest[0]):
        said = f" (not {quote(' '.join(rest))})" if rest else ""
        raise CommandError(f'"{verb}" takes one activity code{said}; like: {FOLLOW_FORM}')
    return Follow(rest[0].upper(), verb == "follow")
