"""The grammar of `/brs update`, `set`, `edit` and `undo`: text in, one frozen dataclass out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.grammar.words import CommandError

VERBS = frozenset({"update", "set", "edit", "undo", "redo"})

FORMS = {
    "update": "/brs update S17 Responses received from 40 parties",
    "set": "/brs set S8 funding fully Received from donor X",
    "edit": "/brs edit S17",
    "undo": "/brs undo S17 (or an event: /brs undo COP-2013)",
    "redo": "/brs redo S17",
}
# Funding statuses a person can set; "mixed" is what several rows' statuses make, not a choice.
FUNDING_WORDS = {
    "not-yet": "not_yet",
    "not_yet": "not_yet",
    "notyet": "not_yet",
    "not yet": "not_yet",
    "partly": "partly",
    "fully": "fully",
    "none": "none",
}
SETTABLE = ("funding",)
# "S17", or "S4.2" for the second decision request (row) of S4.
_TARGET = re.compile(r"([A-Za-z]+\d+)(?:\.(\d{1,3}))?")


@dataclass(frozen=True)
class Update:
    code: str
    row: int | None  # 1-based; None: the first
    text: str  # as typed, on one line

    @property
    def where(self) -> str:
        return self.code if self.row is None else f"{self.code}.{self.row}"


@dataclass(frozen=True)
class SetFunding:
    code: str
    row: int | None
    status: str  # one of model.FUNDING_STATUSES except "mixed"
    note: str = ""


@dataclass(frozen=True)
class Edit:
    code: str


@dataclass(frozen=True)
class Undo:
    code: str  # an activity's code, or an event's name


@dataclass(frozen=True)
class Redo:
    code: str


Change = Update | SetFunding | Edit | Undo | Redo
EDITS = (Update, SetFunding, Edit, Undo, Redo)
_EVENT = re.compile(r"[A-Za-z][\w.-]*")


def one_line(text: str) -> str:
    """Typed text as one report line: every run of spaces, tabs or line breaks becomes a space.

    The report keeps a line per item and the markdown export writes cells separated by
    tabs, so a line break or a tab inside one line would not survive an export.
    """
    return " ".join(text.split())


def _target(word: str, verb: str) -> tuple[str, int | None]:
    m = _TARGET.fullmatch(word)
    if not m:
        raise CommandError(f'"{verb}" takes an activity code first, like: {FORMS[verb]}')
    return m[1].upper(), int(m[2]) if m[2] else None


def _split_first(text: str) -> tuple[str, str]:
    parts = text.strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def _funding(code: str, row: int | None, rest: str) -> SetFunding:
    words = rest.split()
    if not words:
        raise CommandError(
            f'"set {code} funding" needs a status: not-yet, partly, fully or none, '
            f"like: {FORMS['set']}"
        )
    take = 2 if len(words) > 1 and f"{words[0]} {words[1]}".lower() == "not yet" else 1
    status = FUNDING_WORDS.get(" ".join(words[:take]).lower())
    if status is None:
        raise CommandError(
            f'Unknown funding status "{words[0][:30]}"; use not-yet, partly, fully or none, '
            f"like: {FORMS['set']}"
        )
    note = one_line(rest.split(None, take)[take] if len(words) > take else "")
    return SetFunding(code, row, status, note)


def parse(verb: str, rest: str) -> Change:
    """Read one editing command; `rest` is what follows the verb, already unescaped.

    CommandError says what was wrong and shows the right form.
    """
    verb = verb.lower()
    first, after = _split_first(rest)
    if not first:
        raise CommandError(f'"{verb}" takes an activity code, like: {FORMS[verb]}')
    if verb in ("undo", "redo") and not _TARGET.fullmatch(first) and _EVENT.fullmatch(first):
        if after.strip():
            raise CommandError(f'"{verb}" takes only an activity code, like: {FORMS[verb]}')
        return (Undo if verb == "undo" else Redo)(first)  # an event's name, such as COP-2013
    code, row = _target(first, verb)
    if verb in ("edit", "undo", "redo"):
        if row is not None or after.strip():
            raise CommandError(f'"{verb}" takes only an activity code, like: {FORMS[verb]}')
        if verb == "edit":
            return Edit(code)
        return Undo(code) if verb == "undo" else Redo(code)
    if verb == "update":
        text = one_line(after)
        if not text:
            raise CommandError(f'"update {first}" needs the text to add, like: {FORMS["update"]}')
        return Update(code, row, text)
    field, value = _split_first(after)
    if not field:
        raise CommandError(f'"set" takes a code, a field and a value, like: {FORMS["set"]}')
    if field.lower() not in SETTABLE:
        raise CommandError(
            f'Unknown field "{field[:30]}": /brs set changes funding, like: {FORMS["set"]} '
            "(to change other fields, use /brs update or /brs edit)"
        )
    return _funding(code, row, value)
