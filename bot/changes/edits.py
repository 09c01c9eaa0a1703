"""Check an update, set, edit or undo against the store, commit it, and say what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Protocol

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.changes.owners import may_change, owner_refusal
from bot.grammar import CommandError
from bot.grammar.edits import FORMS, Change, Edit, SetFunding, Undo, Update, one_line
from bot.render import Reply, cut, error_reply, escape_mrkdwn, fit, fmt_date, fmt_when, fmt_who
from bot.render.history import describe_batch, quoted
from bot.settings import Settings
from store.model import FUNDING_LABELS, Activity, Row
from store.report.funding import read_funding

MAX_TEXT = 3000  # characters a person may type into one line (Slack's section limit)
RETRIES = 50  # recomputing after a concurrent commit; each retry costs microseconds
STATUS_WORDS = {"not_yet": "Not yet funded", "partly": "Partly funded", "fully": "Fully funded"}


class Asker(Protocol):
    """Who asks (bot.changes.deadlines.Asker has this shape)."""

    user: str
    settings: Settings
    name: str | None
    console: bool

    @property
    def editor(self) -> bool: ...
    @property
    def today(self) -> date: ...


class Store(Protocol):
    def activity(self, code: str) -> Activity | None: ...
    def codes(self) -> list[str]: ...
    def history(self, code: str, *, newest: int | None = None) -> list[Any]: ...
    def last_change(self, code: str) -> Any | None: ...
    def commit(self, user: str, changes: Any) -> list[Any]: ...


@dataclass(frozen=True)
class OpenModal(Reply):
    """`/brs edit`: Slack opens `view` (views.open); the console shows the blocks instead."""

    view: dict


# --- pieces shared with the edit form ----------------------------------------------------


def stamped(text: str, today: date, name: str) -> str:
    """A dated, signed status line: "27 November 2026 (jane.doe): Responses received"."""
    # Parentheses in the name would end the signature early; they are never in Slack names.
    name = name.replace("(", "").replace(")", "").strip() or "someone"
    return f"{fmt_date(today)} ({name}): {text}"


def check_length(text: str, what: str) -> None:
    if len(text) > MAX_TEXT:
        raise CommandError(
            f"{what} holds at most {MAX_TEXT:,} characters; yours has {len(text):,}. "
            "Shorten it, or split it into two."
        )


def funding_dict(row_funding: Any) -> dict:
    return asdict(row_funding)


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
    return lines, funding_dict(got)


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
    from store.storage import ChangedMeanwhile  # the store's own module: loaded with the store

    for _ in range(RETRIES):
        try:
            return store.commit(user, compute())
        except ChangedMeanwhile:
            continue
    raise CommandError(
        "The activity is changing too often right now; nothing was saved, try again."
    )


# --- replies -------------------------------------------------------------------------------


def ok(text: str, note: str = "") -> Reply:
    """A confirmation in mrkdwn; whatever a person typed in `text` is already escaped."""
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=f":white_check_mark: {text}"))]
    if note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    return Reply(fit(blocks), cut(text, 300))


def refusal_parts(settings: Settings) -> tuple[str, str]:
    """Why a non-editor cannot change anything (mrkdwn), and how editors are chosen."""
    from bot.changes.deadlines import refusal  # one refusal for every change command

    how = (
        "Editors are the Slack user IDs listed in BRS_EDITORS (comma-separated, like "
        "U012AB3CD,U045EF6GH) where brs runs; a change to it takes effect when brs restarts."
    )
    return refusal(settings), how


def refused(settings: Settings, why: str | None = None) -> Reply:
    text, how = refusal_parts(settings)
    text = why or text
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=text))]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=how)]))
    return Reply(fit(blocks), cut(text, 300))


# --- the commands ---------------------------------------------------------------------------


def apply(store: Store, change: Change, asker: Asker) -> Reply:
    """Check and commit one change for `asker`; the Reply says what happened or what was wrong."""
    if not may_change(store, asker.settings, asker.user, change.code, console=asker.console):
        why = owner_refusal(store, change.code, refusal_parts(asker.settings)[0])
        return refused(asker.settings, why)
    try:
        match change:
            case Update():
                return _update(store, change, asker)
            case SetFunding():
                return _set_funding(store, change, asker)
            case Undo():
                return _undo(store, change, asker)
            case Edit():
                return _edit(store, change, asker)
    except CommandError as e:
        return error_reply(str(e))
    raise TypeError(f"not a change: {change!r}")


def _update(store: Store, change: Update, asker: Asker) -> Reply:
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
    label = "Status of implementation" + (
        f", request {i + 1} of {len(a.rows)}" if len(a.rows) > 1 else ""
    )
    code = escape_mrkdwn(a.code)
    note = f"`/brs {code}` shows the card · `/brs undo {code}` takes it back"
    if len(a.rows) > 1 and change.row is None:
        note += f" · `/brs update {code}.2 …` adds to request 2 instead"
    return ok(f"Added to *{code}* · {label}:\n{quoted(line)}", note)


def _set_funding(store: Store, change: SetFunding, asker: Asker) -> Reply:
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
            (target, f"rows.{i}.funding", funding_dict(row.funding), funding),
            (target, f"rows.{i}.funding_lines", list(row.funding_lines), lines),
        ]

    records = commit_fresh(store, asker.user, compute)
    a, i, before = done[0]
    which = f" (request {i + 1})" if len(a.rows) > 1 else ""
    now = FUNDING_LABELS[change.status]
    if not records:
        return ok(f"*{escape_mrkdwn(a.code)}*{which} is already {now}; nothing changed.")
    was = f" (was {FUNDING_LABELS.get(before, before)})" if before != change.status else ""
    note_text = f"\n{quoted(change.note)}" if change.note else ""
    return ok(
        f"*{escape_mrkdwn(a.code)}*{which} is now {now}{was}.{note_text}",
        f"`/brs undo {escape_mrkdwn(a.code)}` takes it back",
    )


def _edit(store: Store, change: Edit, asker: Asker) -> Reply:
    from bot.render.form import edit_view  # the form's Block Kit, only when a form is asked for

    a = find_activity(store, change.code)
    last = store.last_change(a.code)
    try:
        view = edit_view(a, last.seq if last else 0)
    except ValueError as e:  # more decision requests than one form holds
        raise CommandError(f"{e}: use /brs update {a.code}.N and /brs set {a.code}.N.") from None
    code = escape_mrkdwn(a.code)
    text = (
        f"The form for *{code}* opens in Slack when you type `/brs edit {code}` as a slash "
        f"command. Here, use `/brs update {code} &lt;text&gt;` and "
        f"`/brs set {code} funding &lt;not-yet|partly|fully|none&gt; [note]`."
    )
    blocks = fit([SectionBlock(text=MarkdownTextObject(text=text))])
    return OpenModal(blocks, f"Edit {code}", view)


# --- undo ----------------------------------------------------------------------------------


def last_batch(store: Store, code: str) -> list[Any]:
    """The records of the newest commit that touched `code` (its activity or deadlines)."""
    last = store.last_change(code)
    if last is None:
        return []
    batch = getattr(last, "batch", 0) or last.seq
    newest = 64
    while True:
        records = store.history(code, newest=newest)
        mine = [r for r in records if (getattr(r, "batch", 0) or r.seq) == batch]
        if len(records) < newest or records[0] not in mine:
            return mine
        newest *= 4  # the commit may reach further back (an import touches many records)


def _undo(store: Store, change: Undo, asker: Asker) -> Reply:
    undone: list[list[Any]] = []

    def compute() -> list:
        a = find_activity(store, change.code)
        records = last_batch(store, a.code)
        if not records:
            raise CommandError(f"{a.code} has no recorded changes; nothing to undo.")
        if any(r.target == f"activity:{a.code}" and not r.field and r.old is None for r in records):
            when = fmt_date(date.fromisoformat(records[0].at[:10]))
            raise CommandError(
                f"{a.code} has not changed since it was imported on {when}; nothing to undo."
            )
        undone[:] = [records]
        return [(r.target, r.field, r.new, r.old) for r in reversed(records)]

    commit_fresh(store, asker.user, compute)
    records = undone[0]
    rows = len(a.rows) if (a := store.activity(change.code)) else 1
    first = records[0]
    said = describe_batch(records, rows)
    lines = "\n".join(f"• {line}" for line in said[:10])
    more = f"\n… and {len(said) - 10} more" if len(said) > 10 else ""
    who = "the import" if first.user == "import" else fmt_who(first.user)
    head = f"Undid the change {who} made to *{escape_mrkdwn(change.code)}* on {fmt_when(first.at)}:"
    return ok(
        f"{head}\n{lines}{more}",
        f"`/brs undo {escape_mrkdwn(change.code)}` again puts it back · "
        f"`/brs history {escape_mrkdwn(change.code)}` shows every change",
    )
