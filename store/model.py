"""The report's data model: plain frozen dataclasses with JSON round-trips."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

# Dates people mean: beyond these years a date is a typing slip, and date arithmetic near
# year 1 or 9999 overflows. Every date given by an editor or a report must fall inside.
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_OFFSET_DAYS = 36_500  # "N days before EVENT": a century either way


def in_window(on: date) -> bool:
    return FIRST_YEAR <= on.year <= LAST_YEAR


# Normalised funding statuses, in the order the funding overview lists them.
# "unclear": the words name no status brs understands; they are kept, never guessed at.
FUNDING_STATUSES = ("not_yet", "partly", "fully", "mixed", "unclear", "none")
FUNDING_LABELS = {
    "not_yet": "not yet funded",
    "partly": "partly funded",
    "fully": "fully funded",
    "mixed": "mixed funding",
    "unclear": "funding unclear",
    "none": "no funding needed",
}
NEEDED_VALUES = ("yes", "no", "conditional")

# The text columns of a row, in the report's order.
COLUMNS = ("requests", "status", "next_steps", "funding", "implications")
COLUMN_LABELS = {
    "requests": "Decision requests",
    "status": "Status of implementation",
    "next_steps": "Next steps",
    "funding": "Voluntary funding",
    "implications": "Implications if funding is missing",
}


@dataclass(frozen=True)
class FundingPart:
    """One status the funding words name, with the words that named it."""

    status: str
    words: str


@dataclass(frozen=True)
class Funding:
    needed: str  # one of NEEDED_VALUES
    needed_words: str
    status: str  # one of FUNDING_STATUSES
    parts: tuple[FundingPart, ...] = ()

    @property
    def words(self) -> str:
        return "; ".join(p.words for p in self.parts)


@dataclass(frozen=True)
class Row:
    """One decision-request row of an activity, each column a tuple of lines."""

    requests: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    funding_lines: tuple[str, ...] = ()
    implications: tuple[str, ...] = ()
    funding: Funding = field(default_factory=lambda: Funding("no", "", "none"))

    def column(self, name: str) -> tuple[str, ...]:
        return self.funding_lines if name == "funding" else getattr(self, name)


@dataclass(frozen=True)
class Activity:
    code: str
    title: str
    section: str  # the section's number as written, e.g. "VII"
    section_title: str
    rows: tuple[Row, ...]
    order: int = 0  # position in the report

    @property
    def funding_status(self) -> str:
        """The activity's badge: its rows' statuses combined."""
        needed = [r.funding.status for r in self.rows if r.funding.status != "none"]
        if not needed:
            return "none"
        return needed[0] if len(set(needed)) == 1 else "mixed"


@dataclass(frozen=True)
class Section:
    number: str
    title: str


@dataclass(frozen=True)
class Deadline:
    """A dated commitment (kind "deadline") or a recorded past event ("milestone").

    A relative deadline has `event` and `offset_days` and no fixed `on`; its date
    comes from the event's date when it is resolved.
    """

    id: str
    activity: str
    due: str
    sentence: str
    kind: str = "deadline"
    on: date | None = None
    end: date | None = None
    event: str | None = None
    offset_days: int = 0
    phrase: str = ""
    source: str = "report"
    done: bool = False
    done_by: str | None = None
    done_at: str | None = None

    @property
    def key(self) -> tuple:
        """What identifies the same commitment across re-imports."""
        return (self.activity, self.on, self.event, self.offset_days)

    @property
    def is_open(self) -> bool:
        return self.kind == "deadline" and not self.done

    def resolved(self, events: Mapping[str, date]) -> date | None:
        """Its date, or None when it has none that brs can use (no event date, or one that
        lands outside FIRST_YEAR..LAST_YEAR): a bad stored value never makes a read fail."""
        if self.event is None:
            return self.on if self.on is None or in_window(self.on) else None
        base = events.get(self.event)
        if base is None:
            return None
        try:
            on = base + timedelta(days=self.offset_days)
        except OverflowError:  # an event near year 1 or 9999 stored by an older brs
            return None
        return on if in_window(on) else None

    @property
    def rule(self) -> str:
        if self.event is None:
            return ""
        n = abs(self.offset_days)
        if n == 0:
            return f"on {self.event}"
        word = "before" if self.offset_days < 0 else "after"
        return f"{n} day{'s' if n != 1 else ''} {word} {self.event}"


@dataclass(frozen=True)
class Report:
    title: str
    sections: tuple[Section, ...]
    activities: tuple[Activity, ...]
    deadlines: tuple[Deadline, ...]
    footnotes: tuple[str, ...] = ()
    toc: tuple[tuple[str, str, str], ...] = ()  # (section number, title, code)
    notes: tuple[str, ...] = ()  # what the importer could not read, one line each


# --- JSON round trips -------------------------------------------------------


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def activity_to_dict(a: Activity) -> dict[str, Any]:
    # What dataclasses.asdict gave, written out: asdict deep-copies every value on the way,
    # which made it most of the cost of importing a large report.
    return {
        "code": a.code,
        "title": a.title,
        "section": a.section,
        "section_title": a.section_title,
        "rows": tuple(_row_to_dict(r) for r in a.rows),
        "order": a.order,
    }


def _row_to_dict(r: Row) -> dict[str, Any]:
    f = r.funding
    return {
        "requests": tuple(r.requests),
        "status": tuple(r.status),
        "next_steps": tuple(r.next_steps),
        "funding_lines": tuple(r.funding_lines),
        "implications": tuple(r.implications),
        "funding": {
            "needed": f.needed,
            "needed_words": f.needed_words,
            "status": f.status,
            "parts": [{"status": p.status, "words": p.words} for p in f.parts],
        },
    }


def activity_from_dict(d: dict[str, Any]) -> Activity:
    rows = []
    for r in d["rows"]:
        f = r["funding"]
        funding = Funding(
            f["needed"],
            f["needed_words"],
            f["status"],
            tuple(FundingPart(p["status"], p["words"]) for p in f["parts"]),
        )
        rows.append(
            Row(
                requests=tuple(r["requests"]),
                status=tuple(r["status"]),
                next_steps=tuple(r["next_steps"]),
                funding_lines=tuple(r["funding_lines"]),
                implications=tuple(r["implications"]),
                funding=funding,
            )
        )
    return Activity(
        code=d["code"],
        title=d["title"],
        section=d["section"],
        section_title=d["section_title"],
        rows=tuple(rows),
        order=d.get("order", 0),
    )


def deadline_to_dict(dl: Deadline) -> dict[str, Any]:
    d = {name: getattr(dl, name) for name in _DEADLINE_FIELDS}
    d["on"] = dl.on.isoformat() if dl.on else None
    d["end"] = dl.end.isoformat() if dl.end else None
    return d


_DEADLINE_FIELDS = tuple(f.name for f in fields(Deadline))


def deadline_from_dict(d: dict[str, Any]) -> Deadline:
    d = dict(d)
    d["on"] = _date(d.get("on"))
    d["end"] = _date(d.get("end"))
    return Deadline(**d)


__all__ = [
    "Activity",
    "COLUMNS",
    "COLUMN_LABELS",
    "Deadline",
    "FUNDING_LABELS",
    "FUNDING_STATUSES",
    "Funding",
    "FundingPart",
    "NEEDED_VALUES",
    "Report",
    "Row",
    "Section",
    "replace",
]
