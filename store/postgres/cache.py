"""One process's copy of the documents at one database version, indexed the way reads ask."""

from __future__ import annotations

from datetime import date
from typing import Any

from store import model
from store.documents import (
    TABLES,
    ChangeItem,
    Key,
    ReportInfo,
    Work,
    group_of,
    split_target,
    target_of,
    to_json,
    validated,
)
from store.history import Change
from store.lookup import (
    canonical_key,
    canonical_target,
    event_name,
    ordered_activities,
    ordered_deadlines,
    ordered_events,
)
from store.storage import ChangedMeanwhile


class View:
    """Documents (as JSON) and their dataclasses at `version`; the caller holds the store's lock."""

    def __init__(self) -> None:
        self.version = 0
        self.docs: dict[str, dict[str, Any]] = {kind: {} for kind in TABLES}
        self.objs: dict[str, dict[str, Any]] = {kind: {} for kind in TABLES}
        self.activities: tuple[model.Activity, ...] = ()
        self.activity_index: dict[str, model.Activity] = {}
        self.deadlines: tuple[model.Deadline, ...] = ()
        self.deadline_index: dict[str, model.Deadline] = {}
        self.events: dict[str, date] = {}
        self.targets: set[str] = set()  # every target that ever had a record
        self.last_in_group: dict[str, Change] = {}

    def report(self) -> ReportInfo | None:
        return self.objs["report"].get("")

    def load(self, docs: dict[Key, Any], version: int) -> None:
        """Everything at `version`, from scratch."""
        for kind in TABLES:
            self.docs[kind].clear()
            self.objs[kind].clear()
        self.install(docs, {key: validated(*key, value) for key, value in docs.items()}, version)

    def install(self, values: dict[Key, Any], objs: dict[Key, Any], version: int) -> None:
        """Documents changed up to `version` (None: removed); `objs` their dataclasses."""
        for key, value in values.items():
            kind, name = key
            if value is None:
                self.docs[kind].pop(name, None)
                self.objs[kind].pop(name, None)
            else:
                self.docs[kind][name] = value
                self.objs[kind][name] = objs[key]
        self.version = max(self.version, version)
        self._rebuild({kind for kind, _ in values})

    def record(self, changes: list[Change]) -> None:
        for change in changes:
            self.targets.add(change.target)
            group = group_of(change.target)
            if group is not None:
                self.last_in_group[group] = change

    def work(self, changes: list[ChangeItem]) -> tuple[Work, list[ChangeItem]]:
        """The documents `changes` leave, checked: each `old` must be the current value."""
        work = Work(self.docs)
        items: list[ChangeItem] = []
        for target, field, old, new in changes:
            key = self.canonical_key(split_target(target))
            target = target_of(key)
            old, new = to_json(old), to_json(new)
            if work.value_at(key, field) != old:
                raise ChangedMeanwhile(
                    f"{target} {field or 'document'} was changed meanwhile; "
                    "nothing was saved, try again."
                )
            if old != new:
                work.apply(key, field, new)
                items.append((target, field, old, new))
        return work, items

    def taken_deadline_ids(self) -> set[str]:
        past = {t.partition(":")[2] for t in self.targets if t.startswith("deadline:")}
        return {i.casefold() for i in past | set(self.docs["deadline"])}

    def _rebuild(self, kinds: set[str]) -> None:
        if "activity" in kinds:
            self.activities, self.activity_index = ordered_activities(self.objs["activity"])
        if "activity" in kinds or "deadline" in kinds:
            found = ordered_deadlines(self.objs["deadline"], self.activities)
            self.deadlines, self.deadline_index = found
        if "event" in kinds:
            self.events = ordered_events(self.objs["event"])

    def canonical_key(self, key: Key) -> Key:
        return canonical_key(key, self.activity_index, self.deadline_index, self.docs["event"])

    def canonical_target(self, target: str) -> str:
        return canonical_target(target, self.canonical_key)

    def event_name(self, name: str) -> str:
        return event_name(name, self.docs["event"])
