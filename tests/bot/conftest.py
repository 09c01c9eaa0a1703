"""A tiny in-memory store with the repository's read API, built from hand-made model objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from store.model import Activity, Deadline, Funding, FundingPart, Row, Section


@dataclass(frozen=True)
class Change:
    seq: int
    target: str
    field: str
    old: Any
    new: Any
    user: str
    at: str


@dataclass
class FakeStore:
    items: list[Activity]
    dls: list[Deadline] = field(default_factory=list)
    evts: dict[str, date] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    title: str = "Status report"
    settings: dict[str, Any] = field(default_factory=dict)

    def setting(self, name: str, default: Any = None) -> Any:
        return self.settings.get(name, default)

    def activities(self) -> list[Activity]:
        return list(self.items)

    def activity(self, code: str) -> Activity | None:
        return next((a for a in self.items if a.code.upper() == code.upper()), None)

    def codes(self) -> list[str]:
        return [a.code for a in self.items]

    def report_info(self) -> Any:
        return SimpleNamespace(title=self.title, sections=list(self.sections))

    def deadlines(self) -> list[Deadline]:
        return list(self.dls)

    def events(self) -> dict[str, date]:
        return dict(self.evts)

    def history(self, code: str, *, newest: int | None = None) -> list[Change]:
        # An activity's records and its deadlines' ("deadline:S17-1" belongs to S17).
        mine = [
            c
            for c in self.changes
            if c.target.rpartition(":")[2].split("-")[0].upper() == code.upper()
        ]
        mine = sorted(mine, key=lambda c: c.seq)
        return mine if newest is None else mine[len(mine) - newest :]

    def history_count(self, code: str) -> int:
        return len(self.history(code))

    def last_change(self, code: str) -> Change | None:
        found = self.history(code)
        return max(found, key=lambda c: c.seq) if found else None


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

# Shaped like store.history.Change: targets "activity:S17" / "deadline:S17-1", times in UTC.
_NONE = {"needed": "no", "needed_words": "No", "status": "none", "parts": []}
_PARTLY = {"needed": "yes", "needed_words": "Yes", "status": "partly", "parts": []}
CHANGES = [
    Change(0, "activity:S17", "", None, {"code": "S17", "title": "Review"}, "import", "2012-05-01T07:00:00Z"),
    Change(1, "activity:S17", "rows.0.status", ["old line"], ["old line", "The questionnaire was sent."],
           "U123", "2012-06-01T10:00:00Z"),
    Change(2, "deadline:S17-1", "done", False, True, "U123", "2012-06-02T08:30:00Z"),
    Change(3, "activity:S17", "rows.0.funding", _NONE, _PARTLY, "U456", "2012-07-15T14:05:00Z"),
]  # fmt: skip

TODAY = date(2012, 8, 20)


def make_store(**overrides: Any) -> FakeStore:
    base: dict[str, Any] = dict(
        items=[S1, S4, S17],
        dls=list(DEADLINES),
        evts={"COP-2013": date(2013, 4, 28)},
        changes=list(CHANGES),
        sections=list(SECTIONS),
    )
    base.update(overrides)
    return FakeStore(**base)


@pytest.fixture
def store() -> FakeStore:
    return make_store()
