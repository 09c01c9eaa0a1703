"""A real store in a temporary folder, built from hand-made model objects and a history.

The store is brs's own (TinyDB and the history file), so the tests read what users read;
the history is made of real commits at chosen times, by chosen people.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from jobs.clock import SimClock
from store.model import (
    Activity,
    Deadline,
    Funding,
    FundingPart,
    Row,
    Section,
    activity_to_dict,
    deadline_to_dict,
)
from store.repository import Store

_FOLDERS: list[Path] = []
atexit.register(lambda: [shutil.rmtree(f, ignore_errors=True) for f in _FOLDERS])


@dataclass(frozen=True)
class Step:
    """One commit of the history: at `at` (UTC), by `user`, each field of `target` as given."""

    at: str
    user: str
    target: str
    fields: dict[str, Any]


SECTIONS = [Section("I", "Technical assistance"), Section("VII", "Overall management")]

S1 = Activity(
    "S1",
    "Tools for implementing conventions",
    "I",
    "Technical assistance",
    (
        Row(
            requests=("The secretariat to develop and upgrade toolkits",),
            status=("A work plan was developed.", "Actions defined until June 2013."),
            next_steps=("Implementation of the work plan.",),
            funding_lines=("Yes", "Not yet funded."),
            implications=("Implementation of activities will be delayed.",),
            funding=Funding("yes", "Yes", "not_yet", (FundingPart("not_yet", "Not yet funded."),)),
        ),
    ),
    order=1,
)

S4 = Activity(
    "S4",
    "Develop partnerships with other multilateral environmental agreements (MEAs)",
    "I",
    "Technical assistance",
    (
        Row(
            requests=("The secretariat to develop a plan to identify strategic partnerships",),
            status=("A work plan is developed.",),
            next_steps=(),
            funding_lines=("No",),
            implications=("N/A",),
            funding=Funding("no", "No", "none"),
        ),
        Row(
            requests=("The regional centres to implement the ODS-POPs disposal project",),
            status=("A regional workshop was held on 29-31 March 2012 in San Salvador.",),
            next_steps=("National action plans are under development until December 2012.",),
            funding_lines=("Yes", "Fully funded in 2012; partly funded in 2013."),
            implications=("Disposal operations might be delayed.",),
            funding=Funding(
                "yes",
                "Yes",
                "mixed",
                (
                    FundingPart("fully", "Fully funded in 2012"),
                    FundingPart("partly", "partly funded in 2013"),
                ),
            ),
        ),
    ),
    order=2,
)

S17 = Activity(
    "S17",
    "Review arrangements",
    "VII",
    "Overall management",
    (
        Row(
            requests=(
                "The secretariat to prepare and send a questionnaire to collect information from"
                " parties, as set out in annex IV of decision SC-5/27, by 30 April 2012",
                "The secretariat to cooperate with the UNEP and FAO evaluation offices and, if"
                " feasible, to develop a consolidated survey instrument",
                "The secretariat to collect responses from parties by 31 August 2012 and develop a"
                " report by 31 December 2012",
                "The secretariat to publish the report on how far the arrangements have"
                " contributed to achieving the synergies objectives 90 days before the 1st COP"
                " in 2013",
            ),
            status=(
                "The questionnaire to be used by the secretariat to collect information from"
                " parties has been developed and translated in all UN languages.",
                "Through cooperation with UNEP and FAO evaluations offices, a joint secretariat /"
                " UNEP/FAO questionnaire was developed.",
                "The questionnaire was sent to parties on 21 May 2012.",
                "The synergies website was updated so parties have access to the information"
                " they need to fill the questionnaire.",
                "The secretariat provided support to UNEP/ FAO evaluation units so as to conduct"
                " the FAO/UNEP part of the review arrangements (information, arrangement of"
                " interviews with secretariat staff and hosting of the two consultants in the"
                " secretariat between 25 April and 2 May 2012).",
            ),
            next_steps=(
                "The secretariat to collect responses from parties by 31 August 2012 and to"
                " prepare its report by 31 December 2012.",
            ),
            funding_lines=("No",),
            implications=("N/A",),
            funding=Funding("no", "No", "none"),
        ),
    ),
    order=3,
)


def _dl(id: str, activity: str, due: str, **kw: Any) -> Deadline:
    return Deadline(id=id, activity=activity, due=due, sentence=due, **kw)


DEADLINES = [
    _dl("S1-1", "S1", "Actions defined", on=date(2013, 6, 30)),
    _dl(
        "S4-1",
        "S4",
        "regional workshop held",
        kind="milestone",
        on=date(2012, 3, 29),
        end=date(2012, 3, 31),
        done=True,
    ),
    _dl("S4-2", "S4", "National action plans", on=date(2012, 12, 31)),
    _dl("S17-1", "S17", "send a questionnaire", on=date(2012, 4, 30), done=True, done_by="U123"),
    _dl("S17-2", "S17", "collect responses from parties", on=date(2012, 8, 31)),
    _dl("S17-3", "S17", "develop a report", on=date(2012, 12, 31)),
    _dl("S17-4", "S17", "publish the report", event="COP-2013", offset_days=-90),
    _dl(
        "S17-5",
        "S17",
        "questionnaire sent to parties",
        kind="milestone",
        on=date(2012, 5, 21),
        done=True,
    ),
]

IMPORTED = "2012-05-01T07:00:00Z"
_NONE = {"needed": "no", "needed_words": "No", "status": "none", "parts": []}
# S17 as imported on 1 May 2012; the history below makes it the S17 above.
S17_IMPORTED = replace(
    S17,
    rows=(
        replace(
            S17.rows[0],
            status=S17.rows[0].status[:-1],
            funding=Funding("yes", "Yes", "partly", (FundingPart("partly", "Partly funded."),)),
        ),
    ),
)
HISTORY = [
    Step("2012-06-01T10:00:00Z", "U123", "activity:S17", {"rows.0.status": list(S17.rows[0].status)}),
    Step("2012-06-02T08:30:00Z", "U123", "deadline:S17-1",
         {"done": True, "done_by": "U123", "done_at": "2012-06-02T08:30:00Z"}),
    Step("2012-07-15T14:05:00Z", "U456", "activity:S17", {"rows.0.funding": _NONE}),
]  # fmt: skip

TODAY = date(2012, 8, 20)


def _when(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(UTC)


def _current(store: Store, target: str, field: str) -> Any:
    kind, _, name = target.partition(":")
    if kind == "activity":
        found = store.activity(name)
        node: Any = activity_to_dict(found) if found else None
    elif kind == "deadline":
        dl = store.deadline(name)
        node = deadline_to_dict(dl) if dl else None
    else:
        raise ValueError(f"the test store has no {kind} targets")
    for part in field.split(".") if field else ():
        node = node[int(part)] if isinstance(node, list | tuple) else node[part]
    return json.loads(json.dumps(node))  # as the store holds it: lists, not tuples


def make_store(
    *,
    items: list[Activity] | None = None,
    dls: list[Deadline] | None = None,
    evts: dict[str, date] | None = None,
    history: list[Step] | None = None,
    sections: list[Section] | None = None,
    title: str = "Status report",
) -> Store:
    """A real store in a new temporary folder: imported on 1 May 2012, then `history`."""
    folder = Path(tempfile.mkdtemp(prefix="brs-test-"))
    _FOLDERS.append(folder)
    clock = SimClock(_when(IMPORTED))
    store = Store.open(folder / "brs.json", clock=clock)
    if items is None:  # the default activities, S17 as it was before its history
        items = [S1, S4, S17_IMPORTED]
        history = HISTORY if history is None else history
    dls = DEADLINES if dls is None else dls
    # A deadline the history marks done is imported open; the others as given.
    closed_later = {s.target for s in history or () if "done" in s.fields}
    undone = [
        replace(d, done=False, done_by=None, done_at=None)
        if f"deadline:{d.id}" in closed_later
        else d
        for d in dls
    ]
    info = {
        "title": title,
        "sections": [{"number": x.number, "title": x.title} for x in sections or SECTIONS],
        "footnotes": [],
        "toc": [],
    }
    events = {"COP-2013": date(2013, 4, 28)} if evts is None else evts
    store.commit(
        "import",
        [("report", "", None, info)]
        + [(f"activity:{a.code}", "", None, activity_to_dict(a)) for a in items]
        + [(f"deadline:{d.id}", "", None, deadline_to_dict(d)) for d in undone]
        + [(f"event:{name}", "", None, on.isoformat()) for name, on in events.items()],
    )
    for step in history or ():
        clock.set(_when(step.at))
        store.commit(
            step.user,
            [
                (step.target, f, _current(store, step.target, f), new)
                for f, new in step.fields.items()
            ],
        )
    return store


@pytest.fixture
def store() -> Store:
    return make_store()
