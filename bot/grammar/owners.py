"""The grammar of `/brs owner S17 @jane`, `/brs owner S17 remove @jane` and `/brs owner S17`.

Slack sends a mention picked from its list as `<@U123|jane>` (or `<@U123>`) when the command
escapes its text; a name typed as plain "@jane" carries no ID, so it is refused with the way
to do it. Console users give the ID itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.grammar.words import CODE_RE, CommandError, quote

VERBS = frozenset({"owner", "owners"})
FORM = "/brs owner S17 @jane (several: @jane @omar; remove: /brs owner S17 remove @jane)"
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")
_ID = re.compile(r"[UW][A-Z0-9]{2,}")


@dataclass(frozen=True)
class Owners:
    code: str
    add: tuple[str, ...] = ()  # user IDs
    remove: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        if self.remove:
            return f"owner {self.code} remove " + " ".join(f"<@{u}>" for u in self.remove)
        return f"owner {self.code} " + " ".join(f"<@{u}>" for u in self.add)


def _people(words: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for word in words:
        m = _MENTION.fullmatch(word) or _ID.fullmatch(word)
        if m is None:
            if word.startswith("@"):
                raise CommandError(
                    f"Slack sent {quote(word)} as plain text, without who it is: pick the "
                    "person from the list Slack shows as you type @, or give their user ID "
                    "(like U012AB3CD)."
                )
            raise CommandError(f"{quote(word)} is not a person; like: {FORM}")
        user = m.group(1) if m.re is _MENTION else m.group(0)
        if user not in found:
            found.append(user)
    return tuple(found)


def parse(verb: str, rest: list[str]) -> Owners:
    """`rest` is the command's words with Slack's mentions still in their <@U…|name> form."""
    if not rest or not CODE_RE.fullmatch(rest[0]):
        raise CommandError(f'"{verb}" takes an activity code and people, like: {FORM}')
    code, words = rest[0].upper(), rest[1:]
    if not words:
        return Owners(code)  # who owns it
    if words[0].lower() == "remove":
        if len(words) == 1:
            raise CommandError(f"Say whom to remove, like: /brs owner {code} remove @jane")
        return Owners(code, remove=_people(words[1:]))
    return Owners(code, add=_people(words))
