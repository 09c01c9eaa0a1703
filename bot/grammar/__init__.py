"""The `/brs` command grammar: text in, one frozen Command dataclass out."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
# How each group is written back in a command (the Share button's value).
GROUP_WORDS = {
    "not_yet": "not-yet",
    "partly": "partly",
    "fully": "fully",
    "mixed": "mixed",
    "unclear": "unclear",
    "none": "none",
}


class CommandError(ValueError):
    """Bad command text; the message is one line: what was wrong and the right form."""


@dataclass(frozen=True)
class Help:
    @property
    def text(self) -> str:
        return "help"


@dataclass(frozen=True)
class Show:
    code: str

    @property
    def text(self) -> str:
        return self.code


@dataclass(frozen=True)
class ListAll:
    @property
    def text(self) -> str:
        return "list"


@dataclass(frozen=True)
class InSection:
    key: str  # a roman or arabic number, or word(s) of the section's title

    @property
    def text(self) -> str:
        return f"section {self.key}"


@dataclass(frozen=True)
class Funding:
    group: str | None = None  # one of model.FUNDING_STATUSES, None for the overview

    @property
    def text(self) -> str:
        return f"funding {GROUP_WORDS[self.group]}" if self.group else "funding"


@dataclass(frozen=True)
class Deadlines:
    days: int | None = None  # only the next `days` days of upcoming deadlines

    @property
    def text(self) -> str:
        return "deadlines" if self.days is None else f"deadlines {self.days}"


@dataclass(frozen=True)
class Search:
    query: str

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w.lower() for w in re.findall(r"\w+", self.query))

    @property
    def text(self) -> str:
        return f"search {self.query}"


@dataclass(frozen=True)
class History:
    code: str

    @property
    def text(self) -> str:
        return f"history {self.code}"


Command = Help | Show | ListAll | InSection | Funding | Deadlines | Search | History


def _quote(text: str, limit: int = 30) -> str:
    """Echo what was typed on one short line."""
    text = " ".join(text.split())
    return f'"{text[: limit - 1]}…"' if len(text) > limit else f'"{text}"'


def _unescape(text: str) -> str:
    # Slack sends &, < and > in command text as entities; the console sends them raw.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _nothing_more(verb: str, rest: list[str], form: str) -> None:
    if rest:
        raise CommandError(f'"{verb}" takes nothing more, like: /brs {form}')


def _code(word: str, verb: str) -> str:
    if not CODE_RE.fullmatch(word):
        raise CommandError(f'"{verb}" takes an activity code, like: /brs {verb} S17')
    return word.upper()


def parse(text: str) -> Command:
    """Read one `/brs` command; raise CommandError with a one-line message if it is wrong."""
    words = _unescape(text).split()
    if words and words[0].lower() == "/brs":
        words = words[1:]
    if not words:
        return Help()
    verb, rest = words[0].lower(), words[1:]

    if CODE_RE.fullmatch(verb):
        if rest:
            raise CommandError(f"An activity code stands alone, like: /brs {verb.upper()}")
        return Show(verb.upper())
    if verb == "help":
        _nothing_more(verb, rest, "help")
        return Help()
    if verb == "list":
        _nothing_more(verb, rest, "list")
        return ListAll()
    if verb == "section":
        if not rest:
            raise CommandError(
                '"section" takes a number or a word of its title, like: /brs section II'
            )
        return InSection(" ".join(rest))
    if verb == "funding":
        if not rest:
            return Funding()
        group = FUNDING_GROUPS.get("-".join(rest).lower())
        if group is None:
            raise CommandError(
                f"Unknown funding group {_quote(' '.join(rest))}, like: /brs funding not-yet"
                " (or partly, fully, mixed, unclear, none)"
            )
        return Funding(group)
    if verb == "deadlines":
        if not rest:
            return Deadlines()
        if len(rest) > 1 or not rest[0].isdigit() or not rest[0].isascii():
            raise CommandError('"deadlines" takes a number of days, like: /brs deadlines 30')
        return Deadlines(int(rest[0]))
    if verb == "search":
        query = " ".join(rest)
        if not re.search(r"\w", query):
            raise CommandError('"search" needs words to look for, like: /brs search questionnaire')
        return Search(query)
    if verb == "history":
        if len(rest) != 1:
            raise CommandError('"history" takes an activity code, like: /brs history S17')
        return History(_code(rest[0], verb))
    if verb == "changes":
        from bot.grammar import report_changes

        return report_changes.parse(rest)  # type: ignore[return-value]
    from bot.grammar import files as uploads  # imported here: it uses this module's CommandError

    if verb in uploads.VERBS:  # answered in Slack by bot.slack.listeners.files, after the ack
        return uploads.parse(verb, rest)  # type: ignore[return-value]
    from bot.grammar import (
        deadlines as deadline_commands,  # imported here: it uses this module's CommandError
    )

    if verb in deadline_commands.VERBS:
        return deadline_commands.parse(verb, rest)  # type: ignore[return-value]
    from bot.grammar import edits as edit_commands

    if verb in edit_commands.VERBS:  # update, set, edit, undo
        return edit_commands.parse(verb, " ".join(rest))  # type: ignore[return-value]
    raise CommandError(f"Unknown command {_quote(words[0])}. Try /brs help for what you can ask.")
