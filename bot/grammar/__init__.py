"""The `/brs` command grammar: text in, one frozen command value out (no store, no Slack)."""

from __future__ import annotations

from bot.grammar import calendar, deadlines, edits, files, owners, reads
from bot.grammar.reads import (
    Deadlines,
    Funding,
    Help,
    History,
    InSection,
    ListAll,
    Search,
    Show,
)
from bot.grammar.words import (
    CODE_RE,
    FUNDING_GROUPS,
    GROUP_WORDS,
    CommandError,
    quote,
    without_prefix,
)

__all__ = [
    "CODE_RE",
    "FUNDING_GROUPS",
    "GROUP_WORDS",
    "Command",
    "CommandError",
    "Deadlines",
    "Funding",
    "Help",
    "History",
    "InSection",
    "ListAll",
    "Search",
    "Show",
    "parse",
]

Command = (
    reads.Command
    | files.FileRequest
    | deadlines.Change
    | edits.Change
    | calendar.CalendarRequest
    | owners.Owners
)


def parse(text: str, *, slack: bool = False) -> Command:
    """Read one `/brs` command; raise CommandError with a one-line message if it is wrong.

    `slack`: the text came from Slack, which sends what people type about others as
    <@U123|jane>, <#C123|general> and <https://…>: free text gets back what was typed.
    """
    words = without_prefix(text, slack=slack)
    if not words:
        return Help()
    verb, rest = words[0].lower(), words[1:]
    if CODE_RE.fullmatch(verb):
        return reads.show(verb, rest)
    if verb in reads.VERBS:
        return reads.parse(verb, rest)
    if verb in files.VERBS:  # answered in Slack after the ack: the file is uploaded
        return files.parse(verb, rest)
    if verb in deadlines.VERBS:
        return deadlines.parse(verb, rest)
    if verb in owners.VERBS:  # people named by their Slack IDs: <@U123|jane> kept
        return owners.parse(verb, without_prefix(text)[1:])
    if verb in calendar.VERBS:
        return calendar.parse(verb, rest)
    if verb in edits.VERBS:  # update, set, edit, undo
        return edits.parse(verb, " ".join(rest))
    raise CommandError(f"Unknown command {quote(words[0])}. Try /brs help for what you can ask.")
