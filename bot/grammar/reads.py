"""The read-only commands: help, a card, list, section, funding, deadlines, search, history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.grammar.words import (
    CODE_RE,
    FUNDING_GROUPS,
    FUNDING_SYNONYMS,
    GROUP_WORDS,
    CommandError,
    close_to,
    quote,
)

VERBS = frozenset(
    {"help", "list", "section", "funding", "deadlines", "search", "history", "events"}
)


@dataclass(frozen=True)
class Help:
    topic: str = ""  # a command word ("deadline"), or "card" for `/brs S17`

    @property
    def text(self) -> str:
        return f"help {self.topic}" if self.topic else "help"


@dataclass(frozen=True)
class Show:
    code: str
    view: str = ""  # "all": every line; "brief": the compact card (mentions, Share, Home)

    @property
    def text(self) -> str:
        return f"{self.code} {self.view}" if self.view else self.code


@dataclass(frozen=True)
class ListAll:
    @property
    def text(self) -> str:
        return "list"


@dataclass(frozen=True)
class InSection:
    key: str  # a roman or arabic number, or word(s) of the section's title
    funding: str | None = None  # only the activities in this funding group

    @property
    def text(self) -> str:
        group = f" funding {GROUP_WORDS[self.funding]}" if self.funding else ""
        return f"section {self.key}{group}"


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


@dataclass(frozen=True)
class Events:
    @property
    def text(self) -> str:
        return "events"


Command = Help | Show | ListAll | InSection | Funding | Deadlines | Search | History | Events


def _nothing_more(verb: str, rest: list[str], form: str) -> None:
    if rest:
        raise CommandError(f'"{verb}" takes nothing more, like: /brs {form}')


def _code(word: str, verb: str) -> str:
    if not CODE_RE.fullmatch(word):
        raise CommandError(f'"{verb}" takes an activity code, like: /brs {verb} S17')
    return word.upper()


# Help topics: the command words (and "card" for a code alone); bot.render.help has the text.
TOPICS = (
    "card", "list", "section", "funding", "deadlines", "search", "history", "events", "changes",
    "update", "set", "edit", "undo", "redo", "deadline", "snooze", "event", "remind", "owner",
    "calendar", "export", "timeline",
)  # fmt: skip
_TOPIC_WORDS = {"code": "card", "show": "card", "all": "card", "brief": "card", "owners": "owner"}


def _topic(rest: list[str]) -> str:
    word = rest[0].lower().removeprefix("/brs").strip() or (rest[1].lower() if rest[1:] else "")
    if len(rest) > 2 or (len(rest) == 2 and rest[0].lower() != "/brs"):
        raise CommandError('"help" takes one command word, like: /brs help deadline')
    if word in TOPICS or word in _TOPIC_WORDS:
        return _TOPIC_WORDS.get(word, word)
    if CODE_RE.fullmatch(word):
        return "card"
    near = close_to(word, TOPICS)
    hint = f" Did you mean /brs help {near}?" if near else ""
    raise CommandError(
        f"No help on {quote(word, 20)}.{hint} Like: /brs help deadline (/brs help lists all)"
    )


def funding_group(words: list[str]) -> str:
    """A funding group as people write it ("not yet", "partially"); CommandError otherwise."""
    typed = "-".join(words).lower()
    group = FUNDING_GROUPS.get(typed) or FUNDING_GROUPS.get(FUNDING_SYNONYMS.get(typed, ""))
    if group is None:
        near = close_to(typed, [*FUNDING_GROUPS, *FUNDING_SYNONYMS])
        hint = (
            f" Did you mean {GROUP_WORDS[FUNDING_GROUPS[FUNDING_SYNONYMS.get(near, near)]]}?"
            if near
            else ""
        )
        raise CommandError(
            f"Unknown funding group {quote(' '.join(words))}.{hint} Like: /brs funding not-yet"
            " (or partly, fully, mixed, unclear, none)"
        )
    return group


CARD_VIEWS = ("all", "brief")


def show(verb: str, rest: list[str]) -> Show:
    """An activity code typed alone: its card; `S17 all` the whole card, `S17 brief` a short one."""
    if len(rest) == 1 and rest[0].lower() in CARD_VIEWS:
        return Show(verb.upper(), rest[0].lower())
    if rest:
        code = verb.upper()
        raise CommandError(
            f"An activity code stands alone, like: /brs {code} (or /brs {code} all for every line)"
        )
    return Show(verb.upper())


def parse(verb: str, rest: list[str]) -> Command:
    """Read one read-only command (`verb` in VERBS); CommandError says the right form."""
    if verb == "help":
        if not rest:
            return Help()
        return Help(_topic(rest))
    if verb == "list":
        _nothing_more(verb, rest, "list")
        return ListAll()
    if verb == "events":
        _nothing_more(verb, rest, "events")
        return Events()
    if verb == "section":
        if not rest:
            raise CommandError(
                '"section" takes a number or a word of its title, like: /brs section II'
            )
        words = [w.lower() for w in rest]
        if "funding" in words[1:]:  # "section III funding not-yet"
            at = words.index("funding", 1)
            return InSection(" ".join(rest[:at]), funding_group(rest[at + 1 :]))
        return InSection(" ".join(rest))
    if verb == "funding":
        if not rest:
            return Funding()
        return Funding(funding_group(rest))
    if verb == "deadlines":
        if not rest:
            return Deadlines()
        if len(rest) > 1 or not rest[0].isdigit() or not rest[0].isascii():
            raise CommandError('"deadlines" takes a number of days, like: /brs deadlines 30')
        return Deadlines(int(rest[0]))
    if verb == "search":
        query = " ".join(rest[1:] if len(rest) > 1 and rest[0].lower() == "for" else rest)
        if not re.search(r"\w", query):
            raise CommandError('"search" needs words to look for, like: /brs search questionnaire')
        return Search(query)
    if len(rest) != 1:  # history
        raise CommandError('"history" takes an activity code, like: /brs history S17')
    return History(_code(rest[0], verb))
