"""Check an update, set, edit or undo against the store, commit it, and say what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.changes import undo
from bot.changes.editors import Asker, check
from bot.changes.outcomes import (
    FundingSet,
    OpenForm,
    Outcome,
    Problem,
    StatusAdded,
)
from bot.grammar import CommandError
from bot.grammar.edits import FORMS, Change, Edit, Redo, SetFunding, Undo, Update, one_line
from store.model import FUNDING_LABELS, Activity, Row
from store.report.funding import read_funding

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store


MAX_TEXT = 3000  # characters a person may type into one line (Slack's section limit)
RETRIES = 50  # recomputing after a concurrent commit; each retry costs microseconds
STATUS_WORDS = {"not_yet": "Not yet funded", "partly": "Partly funded", "fully": "Fully funded"}
BUSY = "The activity is changing too often right now; nothing was saved, try again."
# English whatever the locale: the report's reader reads stamped lines back as milestones.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


# --- pieces shared with the edit form ----------------------------------------------------


def stamped(text: str, today: date, name: str) -> str:
    """A dated, signed status line: "27 November 2026 (jane.doe): Responses received"."""
    # Parentheses in the name would end the signature early; they are never in Slack names.
    name = name.replace("(", "").replace(")", "").strip() or "someone"
    return f"{today.day} {_MONTHS[today.month - 1]} {today.year} ({name}): {text}"


def check_length(text: str, what: str) -> None:
    if len(text) > MAX_TEXT:
        raise CommandError(
            f"{what} holds at most {MAX_TEXT:,} characters; yours has {len(text):,}. "
            "Shorten it, or split it into two."
        )


def compose_funding(row: Row, status: str, note: str = "") -> tuple[list[str], dict]:
    """New funding words and status for `status`: the row's "needed" words, then the status.

    brs reads the funding status from these words when a report is imported, so they must
    say the same status; a note that says another one is refused rather than stored.
    """
    check_length(note, "A funding note")
    f = row.funding
    if status == "none":
        lines = [f"No: {note}" if note else "No"]
    else:
        needed = f.needed_words if f.needed in ("yes", "conditional") and f.needed_words else "Yes"
        words = STATUS_WORDS[status]
        lines = [needed, f"{words}: {note}" if note else f"{words}."]
    got = read_funding(lines)
    if got.status != status:
        raise CommandError(
            f'The note reads as "{FUNDING_LABELS[got.status]}", not '
            f'"{FUNDING_LABELS[status]}"; reword it (brs reads the status from these words).'
        )
    return lines, asdict(got)


def find_activity(store: Store, code: str) -> Activity:
    found = store.activity(code)
    if found is None:
        raise CommandError(f'No activity "{code}". Valid codes: {", ".join(store.codes())}.')
    return found


def row_index(a: Activity, row: int | None, form: str) -> int:
    if row is None:
        return 0
    if not 1 <= row <= len(a.rows):
        many = f"{len(a.rows)} requests" if len(a.rows) > 1 else "one request"
        raise CommandError(f"{a.code} has {many}; there is no request {row}. Like: {form}")
    return row - 1


def commit_fresh(store: Store, user: str, compute: Callable[[], list]) -> list[Any]:
    """Commit what `compute` derives from the current state; again if another commit won."""
    # `compute` passes the values it read as `old`: the store refuses them if another commit
    # landed since (ChangedMeanwhile), so a change is never lost or applied twice.
    # Here, not at the top: store.storage loads TinyDB, which read-only answers never need.
    from store.storage import ChangedMeanwhile

    for _ in range(RETRIES):
        try:
            return store.commit(user, compute())
        except ChangedMeanwhile:
            continue
    raise CommandError(BUSY)


# --- the commands ---------------------------------------------------------------------------


def apply(store: Store, change: Change, asker: Asker) -> Outcome:
    """Check and commit one change for `asker`: what happened, or what was wrong."""
    if refused := check(
        asker.settings, asker.user, console=asker.console, store=store, code=change.code
    ):
        return refused
    try:
        match change:
            case Update():
                return _update(store, change, asker)
            case SetFunding():
                return _set_funding(store, change, asker)
            case Undo() | Redo():
                return undo.apply(store, change, asker)
            case Edit():
                return _edit(store, change)
    except CommandError as e:
        return Problem(str(e))
    raise TypeError(f"not a change: {change!r}")


def _update(store: Store, change: Update, asker: Asker) -> Outcome:
    check_length(change.text, "A status line")
    line = stamped(one_line(change.text), asker.today, asker.name or asker.user)
    where: list[tuple[Activity, int]] = []

    def compute() -> list:
        a = find_activity(store, change.code)
        i = row_index(a, change.row, FORMS["update"])
        where[:] = [(a, i)]
        old = list(a.rows[i].status)
        return [(f"activity:{a.code}", f"rows.{i}.status", old, [*old, line])]

    commit_fresh(store, asker.user, compute)
    a, i = where[0]
    return StatusAdded(a.code, i, len(a.rows), line, change.row is not None)


def _set_funding(store: Store, change: SetFunding, asker: Asker) -> Outcome:
    done: list[tuple[Activity, int, str]] = []

    def compute() -> list:
        a = find_activity(store, change.code)
        if change.row is None and len(a.rows) > 1:
            rows = " or ".join(f"{a.code}.{n}" for n in range(1, len(a.rows) + 1))
            raise CommandError(
                f"{a.code} has {len(a.rows)} requests, each with its own funding; say which: "
                f"/brs set {rows} funding …"
            )
        i = row_index(a, change.row, FORMS["set"])
        row = a.rows[i]
        lines, funding = compose_funding(row, change.status, change.note)
        done[:] = [(a, i, row.funding.status)]
        target = f"activity:{a.code}"
        return [
            (target, f"rows.{i}.funding", asdict(row.funding), funding),
            (target, f"rows.{i}.funding_lines", list(row.funding_lines), lines),
        ]

    records = commit_fresh(store, asker.user, compute)
    a, i, before = done[0]
    return FundingSet(
        a.code, i, len(a.rows), change.status, before, change.note, changed=bool(records)
    )


def _edit(store: Store, change: Edit) -> Outcome:
    a = find_activity(store, change.code)
    last = store.last_change(a.code)
    return OpenForm(a, last.seq if last else 0)
