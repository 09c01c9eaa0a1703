"""When each deadline's date last moved or it was closed, read back from the store's history.

A subscribed calendar only notices a change when an event's SEQUENCE goes up, and it only
drops an event when it is published as cancelled; the history (`deadline:<id>` and
`event:<name>` records) already says when either happened, so nothing new is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

from store.model import Deadline, deadline_from_dict

OPEN, DONE, REMOVED = "open", "done", "removed"


class Record(Protocol):
    """One history record as store.history returns it (store.history.Change)."""

    @property
    def seq(self) -> int: ...
    @property
    def target(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def new(self) -> Any: ...
    @property
    def at(self) -> str: ...


class HistoryStore(Protocol):
    def codes(self) -> list[str]: ...
    def events(self) -> dict[str, date]: ...
    def deadlines(self, code: str | None = None) -> list[Deadline]: ...
    def history(self, code_or_target: str, *, newest: int | None = None) -> list[Any]: ...


@dataclass(frozen=True)
class Revision:
    """A deadline as a calendar sees it: how often its date or state changed, and when."""

    deadline: Deadline  # its last version (for a removed one, as it was before removal)
    on: date | None  # its last date: a relative one's event may have lost its date since
    sequence: int  # 0 when first listed; +1 at every later date move, closing or reopening
    created: datetime
    modified: datetime  # when it was created or last changed in a way a calendar shows
    state: str  # OPEN, DONE or REMOVED
    published: bool  # it was ever open with a date: a calendar may have it


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _apply(doc: dict[str, Any] | None, record: Record) -> dict[str, Any] | None:
    if not record.field:
        return None if record.new is None else dict(record.new)
    if doc is None:
        return None
    return {**doc, record.field: record.new}


def replay(records: Iterable[Record]) -> dict[str, Revision]:
    """Revisions of every deadline in `records` (deadline and event records, any order)."""
    events: dict[str, date | None] = {}
    docs: dict[str, dict[str, Any] | None] = {}
    last: dict[str, Deadline] = {}
    shown: dict[str, tuple[Any, ...]] = {}  # what a calendar shows of it: dates and state
    out: dict[str, Revision] = {}
    for record in sorted(records, key=lambda r: r.seq):
        kind, _, name = record.target.partition(":")
        if kind == "event":
            events[name] = date.fromisoformat(record.new) if record.new else None
            ids = [i for i, d in last.items() if d.event == name and docs.get(i) is not None]
        elif kind == "deadline":
            docs[name] = _apply(docs.get(name), record)
            doc = docs[name]
            if doc is not None:
                last[name] = deadline_from_dict(doc)
            ids = [name] if name in last else []
        else:
            continue
        at = _when(record.at)
        for dl_id in ids:
            dl = last[dl_id]
            gone = docs.get(dl_id) is None
            on = dl.resolved({k: v for k, v in events.items() if v is not None})
            state = REMOVED if gone else (OPEN if dl.is_open else DONE)
            now_shown = (on, dl.end, state)
            before = out.get(dl_id)
            listed = state == OPEN and on is not None
            if before is None:
                out[dl_id] = Revision(dl, on, 0, at, at, state, listed)
            elif now_shown != shown[dl_id]:
                out[dl_id] = Revision(
                    dl,
                    on or before.on,
                    # Before it was ever listed no calendar has it: it starts at 0.
                    before.sequence + before.published,
                    before.created,
                    at,
                    state,
                    before.published or listed,
                )
            else:  # a change a calendar does not show (its words, who closed it)
                out[dl_id] = replace(before, deadline=dl)
            shown[dl_id] = now_shown
    return out


def from_store(store: HistoryStore) -> dict[str, Revision]:
    """Every deadline the history knows of under the store's activities, removed ones too."""
    records: list[Record] = []
    for code in store.codes():
        records += [r for r in store.history(code) if r.target.startswith("deadline:")]
    for name in {*store.events(), *(d.event for d in store.deadlines() if d.event)}:
        records += store.history(f"event:{name}")
    return replay(records)


def by_id(revisions: Mapping[str, Revision]) -> dict[str, Revision]:
    """Keyed case-insensitively, as deadline ids are matched everywhere else."""
    return {k.casefold(): v for k, v in revisions.items()}
