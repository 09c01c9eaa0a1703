"""`/brs undo` and `/brs redo` as a stack over one activity's (or one event's) history."""

# The stack lives in a setting ("undo/S17") committed in the same batch as each undo or redo,
# so it is in the history, atomic with the change, and survives restarts. The setting's own
# history says which batches were undos or redos: those are never undone themselves.

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bot.changes.editors import Asker
from bot.changes.outcomes import NothingToRedo, NothingToUndo, Outcome, Undone
from bot.grammar import CODE_RE, CommandError
from bot.grammar.edits import Redo, Undo

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store

RETRIES = 50
BUSY = "The activity is changing too often right now; nothing was saved, try again."


def _batch(r: Any) -> int:
    return getattr(r, "batch", 0) or r.seq  # records made before batches were numbered


def _subject(store: Store, name: str) -> tuple[str, str]:
    """(what `history` takes, the name to show): an activity's code or an event's target."""
    a = store.activity(name)
    if a is not None:
        return a.code, a.code
    event = next((e for e in store.events() if e.casefold() == name.casefold()), None)
    if event is not None:
        return f"event:{event}", event
    if past := store.history(f"event:{name}"):  # removed since: its history remains
        return past[-1].target, past[-1].name
    codes = ", ".join(store.codes())
    if CODE_RE.fullmatch(name):
        raise CommandError(f'No activity "{name}". Valid codes: {codes}.')
    events = ", ".join(sorted(store.events())) or "none"
    raise CommandError(f'No activity or event "{name}". Valid codes: {codes}; events: {events}.')


def _batches(store: Store, source: str, newest: int | None) -> Batches:
    """The commits of `source`, newest first, each with its records oldest first.

    With `newest`, only the commits among that many latest records (the oldest may be cut).
    """
    if source.startswith("event:"):
        records = store.history(source)
    else:
        records = store.history(source, newest=newest)
    out: dict[int, list[Any]] = {}
    for r in records:
        out.setdefault(_batch(r), []).append(r)
    return sorted(out.items(), key=lambda kv: -kv[0])


Batches = list[tuple[int, list[Any]]]


def _walk(store: Store, source: str, skip: set[int], stack: list[int]) -> Batches:
    """Enough of the newest commits to hold the next one to undo and the top of the redo stack.

    Reading a window of the newest records, widened only when needed, keeps undo cheap on an
    activity with a long history.
    """
    newest = 64
    while True:
        batches = _batches(store, source, newest)
        total = sum(len(rs) for _, rs in batches)
        found = [b for b, _ in batches[:-1] if b not in skip]  # the oldest may be cut short
        redo_ok = not stack or any(b == stack[-1] for b, _ in batches[:-1])
        if source.startswith("event:") or total < newest or (found and redo_ok):
            return batches
        newest *= 4


def _state(store: Store, key: str) -> tuple[list[int], list[int], set[int]]:
    """Batches undone, the redo stack (newest last), and the batches that were undos/redos."""
    value = store.setting(key) or {}
    ops = {_batch(r) for r in store.history(f"setting:{key}")}
    return list(value.get("undone", [])), list(value.get("redo", [])), ops


def _imported(records: list[Any], source: str) -> bool:
    return any(r.target == f"activity:{source}" and not r.field and r.old is None for r in records)


def apply(store: Store, change: Undo | Redo, asker: Asker) -> Outcome:
    """Undo the newest change not undone yet, or redo the newest undone; say the state reached."""
    from store.storage import ChangedMeanwhile  # here: it loads TinyDB

    source, name = _subject(store, change.code)
    key = f"undo/{name}"
    redo = isinstance(change, Redo)
    for _ in range(RETRIES):
        undone, stack, ops = _state(store, key)
        batches = _walk(store, source, ops | set(undone), stack)
        fresh = bool(batches) and batches[0][0] not in ops  # a change since the last undo/redo
        if fresh:
            stack = []
        if redo:
            if not stack:
                return NothingToRedo(name, fresh and bool(undone))
            wanted = stack[-1]
            records = next((rs for b, rs in batches if b == wanted), [])
            items = [(r.target, r.field, r.old, r.new) for r in records]
            value = {"undone": [b for b in undone if b != wanted], "redo": stack[:-1]}
        else:
            found = next(((b, rs) for b, rs in batches if b not in ops and b not in undone), None)
            if found is None:
                raise CommandError(f"{name} has no recorded changes left to undo.")
            wanted, records = found
            if _imported(records, source):
                return NothingToUndo(name, date.fromisoformat(records[0].at[:10]))
            items = [(r.target, r.field, r.new, r.old) for r in reversed(records)]
            value = {"undone": [*undone, wanted], "redo": [*stack, wanted]}
        try:
            store.commit(asker.user, [*items, (f"setting:{key}", "", store.setting(key), value)])
        except ChangedMeanwhile:
            continue
        a = store.activity(name)
        return Undone(name, tuple(records), len(a.rows) if a else 1, redo=redo)
    raise CommandError(BUSY)
