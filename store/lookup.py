"""How reads find documents: in report order, by name whatever its case (both backends)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from store import model
from store.documents import Key, target_of
from store.reimport import id_order

Index = dict[str, Any]


def ordered_activities(
    objs: Mapping[str, model.Activity],
) -> tuple[tuple[model.Activity, ...], Index]:
    """Activities in report order, and an index by casefolded code."""
    acts = sorted(objs.values(), key=lambda a: (a.order, a.code))
    return tuple(acts), {a.code.casefold(): a for a in acts}


def ordered_deadlines(
    objs: Mapping[str, model.Deadline], activities: tuple[model.Activity, ...]
) -> tuple[tuple[model.Deadline, ...], Index]:
    """Deadlines by their activity's place in the report, then by id; indexed by casefolded id."""
    rank = {a.code: i for i, a in enumerate(activities)}
    dls = sorted(
        objs.values(), key=lambda d: (rank.get(d.activity, len(rank)), d.activity, *id_order(d))
    )
    return tuple(dls), {d.id.casefold(): d for d in dls}


def ordered_events(objs: Mapping[str, date]) -> dict[str, date]:
    return dict(sorted(objs.items()))


def event_name(name: str, known: Iterable[str]) -> str:
    """An event's name as stored, whatever its case; `name` itself when none matches."""
    return next((k for k in known if k.casefold() == name.casefold()), name)


def canonical_key(key: Key, activities: Index, deadlines: Index, events: Iterable[str]) -> Key:
    """Activity, deadline and event names match whatever their case."""
    kind, name = key
    if kind == "activity" and (a := activities.get(name.casefold())):
        return (kind, a.code)
    if kind in ("deadline", "snooze") and (d := deadlines.get(name.casefold())):
        return (kind, d.id)
    if kind == "event":
        return (kind, event_name(name, events))
    return key


def canonical_target(target: str, canonical: Callable[[Key], Key]) -> str:
    kind, _, name = target.strip().partition(":")
    if kind.lower() == "report":
        return "report"
    return target_of(canonical((kind.lower(), name)))
