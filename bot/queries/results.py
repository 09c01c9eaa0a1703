"""What read-only queries return: plain frozen dataclasses, and the read side of the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from store.model import Activity, Deadline

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    pass


@dataclass(frozen=True)
class Due:
    """A deadline as it stands today."""

    deadline: Deadline
    code: str
    title: str  # the activity's title
    on: date | None  # None when its event has no date yet
    days: int | None  # days from today to `on`; negative when past

    @property
    def overdue(self) -> bool:
        return self.deadline.is_open and self.days is not None and self.days < 0


@dataclass(frozen=True)
class HelpResult:
    command: str = "help"
    topic: str = ""  # one command in detail ("deadline"); "" for every command


@dataclass(frozen=True)
class NotFound:
    what: str  # "activity" or "section"
    asked: str
    choices: tuple[str, ...]  # the valid codes, or "I Technical assistance"-style sections


@dataclass(frozen=True)
class ActivityCard:
    command: str
    activity: Activity
    deadlines: tuple[Due, ...]  # open ones soonest first, then done ones and milestones
    last_change: Any | None
    view: str = ""  # "all": every line; "brief": the compact card
    owners: tuple[str, ...] = ()  # Slack user IDs named with /brs owner


@dataclass(frozen=True)
class ListItem:
    code: str
    title: str
    section: str
    section_title: str
    funding: str  # the activity's badge, one of FUNDING_STATUSES
    next_due: Due | None
    owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityList:
    command: str
    heading: str
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class FundingEntry:
    code: str
    title: str
    requests: tuple[int, ...]  # 1-based row numbers, set when its rows sit in several groups
    words: tuple[str, ...]  # what the report says about those rows' funding


@dataclass(frozen=True)
class FundingGroup:
    status: str
    entries: tuple[FundingEntry, ...]


@dataclass(frozen=True)
class FundingOverview:
    command: str
    counts: tuple[tuple[str, int], ...]  # (status, number of activities) in group order
    groups: tuple[FundingGroup, ...]
    activities: int = 0  # activities listed, each counted once
    several: tuple[str, ...] = ()  # codes listed under more than one group (rows differ)


@dataclass(frozen=True)
class DeadlineList:
    command: str
    days: int | None
    overdue: tuple[Due, ...]  # oldest first
    upcoming: tuple[Due, ...]  # soonest first
    unset: tuple[Due, ...]  # open, but their event has no date


@dataclass(frozen=True)
class SearchHit:
    code: str
    title: str
    score: int
    column: str  # where the line comes from, such as "Next steps" or "Title"
    line: str


@dataclass(frozen=True)
class SearchResults:
    command: str
    query: str
    hits: tuple[SearchHit, ...]
    suggestions: tuple[str, ...] = ()  # queries of the report's own words, when nothing matched


@dataclass(frozen=True)
class HistoryResult:
    command: str
    code: str
    title: str
    changes: tuple[Any, ...]  # newest first
    rows: int = 1  # the activity's number of rows, to say which one a field belongs to
    total: int = 0  # every record the activity has; `changes` holds the newest of them


@dataclass(frozen=True)
class EventItem:
    name: str
    on: date | None  # None: deadlines name it, but it has no date yet
    dues: tuple[Due, ...]  # the deadlines that follow it, soonest first (done ones too)


@dataclass(frozen=True)
class EventList:
    command: str
    events: tuple[EventItem, ...]  # by date, undated last


Result = (
    HelpResult
    | NotFound
    | ActivityCard
    | ActivityList
    | FundingOverview
    | DeadlineList
    | SearchResults
    | HistoryResult
    | EventList
)
