"""Plain questions ("what about S8?", "what is due in the next 30 days?") as the same commands.

A small deterministic grammar: each question form maps onto the filters the typed commands
already have (an activity, a section, a funding group, a time window). No model, no network:
what it cannot place gets "I did not understand" with forms to try.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta

from bot.grammar.reads import (
    Command,
    Deadlines,
    Funding,
    Help,
    History,
    InSection,
    ListAll,
    Search,
    Show,
)
from bot.grammar.report_changes import Changes
from bot.grammar.words import CommandError, quote

TRY = (
    "Try: /brs what about S8? · /brs what is due in the next 30 days? · "
    "/brs which activities need funding? · /brs help"
)

# Words people put around a question that carry no meaning for it.
_FILLER = re.compile(
    r"^(?:(?:hi|hey|hello|please|pls|brs|can you|could you|would you|tell me|show me|"
    r"give me|let me know|i want to know|i'd like to know|do you know|quick question)[\s,:]+)+"
)
# "S8", "s-8", "AB12", and "S 8" with a one-letter prefix only ("in 30 days" is no code).
_CODE = re.compile(r"\b([a-z]{1,4})-?(\d{1,3})\b|\b([a-z]) (\d{1,3})\b")
_SECTION = re.compile(
    r"\bsection\s+([ivxlc]+|\d+|[a-z][a-z ]*?)(?=\s+(?:is|are|that|which|not|still)\b|$)"
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "ten": 10, "a": 1}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_WINDOW = re.compile(
    r"\b(?:in|within|over|for) (?:the )?(?:next|coming) (\d{1,4}|[a-z]+) (day|week|month|year)s?\b"
    r"|\b(?:in|within) (\d{1,4}|[a-z]+) (day|week|month)s?\b"
)
_NAMED_WINDOWS = (
    (re.compile(r"\btoday\b"), 0),
    (re.compile(r"\btomorrow\b"), 1),
    (re.compile(r"\bthis week\b"), 7),
    (re.compile(r"\bnext week\b"), 14),
    (re.compile(r"\bthis month\b"), 30),
    (re.compile(r"\bnext month\b"), 60),
    (re.compile(r"\b(?:soon|coming up|upcoming)\b"), 30),
)
# Funding groups by how people ask; the first that matches wins, so narrower forms come first.
_FUNDING = (
    (re.compile(r"\bmixed\b"), "mixed"),
    (re.compile(r"\b(?:part(?:ly|ially)|half)[ -]funded\b|\bpartial(?:ly)? funding\b"), "partly"),
    (
        re.compile(
            r"\b(?:no|don'?t|do not|doesn'?t|does not) (?:need )?(?:any )?funding(?: needed)?\b"
            r"|\bfunding (?:is )?not needed\b|\bwithout (?:a )?need\b"
        ),
        "none",
    ),
    (
        re.compile(
            r"\bnot (?:yet )?(?:been )?funded\b|\bunfunded\b|\bneeds? funding\b"
            r"|\b(?:lack|lacks|lacking|without|missing|awaiting|waiting for) funding\b"
            r"|\bno funding\b|\bstill need (?:money|funds)\b"
        ),
        "not_yet",
    ),
    (re.compile(r"\bfully funded\b|\b(?:are|is|got|been) funded\b"), "fully"),
)
_DUE = re.compile(r"\b(?:due|deadlines?|overdue|late|missed|coming up|upcoming)\b")
_HISTORY = re.compile(r"\b(?:history|happened|changed|changes|who (?:changed|updated|edited))\b")
_SEARCH = re.compile(
    r"^(?:search(?: for)?|find|look (?:for|up)|anything (?:about|on)|mentions? of|"
    r"which activities mention|what mentions|where is|where are)\s+(.+?)(?:\s+mentioned)?$"
)
_EXPLICIT_SEARCH = re.compile(r"^(?:search|find|look (?:for|up))\b")
_CHANGED = re.compile(
    r"\bwhat(?:'s| has| have)? (?:changed|happened|is new|new)\b|\brecent changes\b|"
    r"\bwhat changes\b|\bany changes\b|\bchanges since\b"
)
_LIST = re.compile(
    r"\b(?:all activities|every activity|everything|list (?:all|them|activities)|"
    r"what activities (?:are there|do we have|exist))\b"
)
_HELP = re.compile(
    r"^(?:help|what can (?:you|i) (?:do|ask)|how (?:do i use|does this work)|"
    r"what do you (?:do|know)|commands)\b"
)


def _normal(text: str) -> str:
    text = re.sub(r"[?!.,;]+(?=\s|$)", " ", text.casefold())
    text = " ".join(text.replace("’", "'").split())
    return _FILLER.sub("", text).strip()


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def _days(q: str) -> int | None:
    if m := _WINDOW.search(q):
        number, unit = (m[1], m[2]) if m[1] else (m[3], m[4])
        n = _count(number)
        return None if n is None else n * _UNIT_DAYS[unit]
    return next((days for rx, days in _NAMED_WINDOWS if rx.search(q)), None)


def _code(q: str) -> str | None:
    found = {f"{a or c}{b or d}".upper() for a, b, c, d in _CODE.findall(q)}
    return found.pop() if len(found) == 1 else None


def _funding_group(q: str) -> str | None:
    return next((group for rx, group in _FUNDING if rx.search(q)), None)


def _section(q: str) -> str | None:
    m = _SECTION.search(q)
    return m[1].strip() if m else None


def _changes(q: str, today: date | None) -> Changes | None:
    """ "What changed this week?": `/brs changes` since the start of the period asked about."""
    if not _CHANGED.search(q):
        return None
    if m := re.search(r"\bsince (\d{4}-\d{2}-\d{2})\b", q):
        with contextlib.suppress(ValueError):
            return Changes(date.fromisoformat(m[1]))
    if today is None:
        return Changes()
    if re.search(r"\btoday\b", q):
        return Changes(today)
    if re.search(r"\bthis week\b", q):
        return Changes(today - timedelta(days=today.weekday()))
    if re.search(r"\bthis month\b", q):
        return Changes(today.replace(day=1))
    if re.search(r"\b(?:last|past) week\b", q):
        return Changes(today - timedelta(days=7))
    if m := re.search(r"\b(?:last|past) (\d{1,3}) days?\b", q):
        return Changes(today - timedelta(days=int(m[1])))
    return Changes()


def question(text: str, today: date | None = None) -> Command | Changes | None:
    """The command a plain question asks for, None when it is not a question brs knows.

    `today` places "this week" and "the last 10 days" in time.
    """
    q = _normal(text)
    if not q:
        return None
    if _HELP.search(q):
        return Help()
    searched = _SEARCH.match(q)
    code = _code(re.sub(r"\bsection\s+\S+", " ", q))
    if code is None and (changed := _changes(q, today)) is not None:
        return changed
    if searched and (code is None or _EXPLICIT_SEARCH.match(q)):
        return Search(searched[1])
    if code is not None:
        if _HISTORY.search(q) and not re.search(r"\bwhat about\b", q):
            return History(code)
        return Show(code)  # "what about S8?", "who owns S17?", "how is S4 going?"
    group = _funding_group(q)
    section = _section(q)
    if group is not None:
        return InSection(section, group) if section else Funding(group)
    if _DUE.search(q):
        days = _days(q)
        return Deadlines(days)
    if section is not None:
        return InSection(section)
    if re.search(r"\bfunding\b|\bfunded\b|\bmoney\b", q):
        return Funding()
    if _LIST.search(q):
        return ListAll()
    return None


_ASKING = re.compile(r"\?|\b(?:what|which|who|how|when|where|whats|of|about|is|are)\b", re.I)
_REQUEST = re.compile(r"^(?:show|tell|give|find|look|please|hi|hey|hello|can|could|any)\b", re.I)


def is_question(words: list[str]) -> bool:
    """Asked in words ("history of S17?"), not a command typed with a slip in it."""
    return bool(_ASKING.search(" ".join(words)))


def is_request(words: list[str]) -> bool:
    """A question, or a request in words ("show me all activities")."""
    return is_question(words) or bool(_REQUEST.match(words[0]))


def not_understood(text: str) -> CommandError:
    return CommandError(f"I did not understand {quote(text, 40)}. {TRY}")
