"""The `/brs` command grammar: text in, one frozen command value out (no store, no Slack)."""

from __future__ import annotations

from datetime import date

from bot.grammar import calendar, deadlines, edits, files, owners, questions, reads, report_changes
from bot.grammar.reads import (
    Deadlines,
    Events,
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
    close_to,
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
    "Events",
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
    | report_changes.Changes
    | calendar.CalendarRequest
    | owners.Owners
)
# Every verb, for "did you mean": a slip of the keyboard gets the command it nearly was.
VERBS = sorted(
    reads.VERBS
    | files.VERBS
    | deadlines.VERBS
    | edits.VERBS
    | owners.VERBS
    | calendar.VERBS
    | {report_changes.VERB}
)


def parse(text: str, *, today: date | None = None, slack: bool = False) -> Command:
    """Read one `/brs` command; raise CommandError with a one-line message if it is wrong.

    `today` lets dates be written relative to it ("in 2 weeks", "next friday").
    `slack`: the text came from Slack, which sends what people type about others as
    <@U123|jane>, <#C123|general> and <https://…>: free text gets back what was typed.
    """
    words = without_prefix(text, slack=slack)
    if not words:
        return Help()
    joined = "".join(words)
    if (
        len(words) == 2
        and len(words[0]) <= 4
        and words[0].lower() not in VERBS
        and CODE_RE.fullmatch(joined)
    ):
        words = [joined]  # "S 17"
    verb, rest = words[0].lower(), words[1:]
    if verb.isdigit() and verb.isascii() and not rest:  # "17": the store knows whose it is
        return reads.Show(verb)
    if CODE_RE.fullmatch(verb):
        return reads.show(verb, rest)
    if verb in reads.VERBS:
        try:
            return reads.parse(verb, rest)
        except CommandError:  # "history of S17?" is a question that starts with a verb
            asked = questions.question(" ".join(words), today)
            if asked is None or not questions.is_question(words):
                raise
            return asked
    if verb == report_changes.VERB:
        return report_changes.parse(rest)
    if verb in files.VERBS:  # answered in Slack after the ack: the file is uploaded
        return files.parse(verb, rest)
    if verb in deadlines.VERBS:
        return deadlines.parse(verb, rest, today)
    if verb in owners.VERBS:  # people named by their Slack IDs: <@U123|jane> kept
        return owners.parse(verb, without_prefix(text)[1:])
    if verb in calendar.VERBS:
        return calendar.parse(verb, rest)
    if verb in edits.VERBS:  # update, set, edit, undo
        return edits.parse(verb, " ".join(rest))
    near = close_to(verb, VERBS)
    asked = questions.question(" ".join(words), today)
    if asked is not None and questions.is_request(words):
        return asked
    if questions.is_question(words):
        raise questions.not_understood(" ".join(words))
    meant = f" Did you mean /brs {near}?" if near else ""
    raise CommandError(
        f"Unknown command {quote(words[0])}.{meant} Try /brs help for what you can ask."
    )
