"""What a change did, or why not, as plain values; bot.render.outcomes puts them in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.settings import Settings
from store.model import Activity, Deadline

# --- any change ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Bad input: one plain line saying what was wrong and the right form; nothing changed."""

    message: str


@dataclass(frozen=True)
class Refused:
    """Not an editor: why (mrkdwn, with mentions) and how editors are chosen."""

    why: str
    how_to_fix: str


# --- deadlines, events, reminders ---------------------------------------------------------


@dataclass(frozen=True)
class DeadlineAdded:
    deadline: Deadline
    on: date  # resolved, for one that follows an event
    today: date
    settings: Settings  # the reminder schedule it will follow
    typed: str = ""  # the date as typed, when relative ("in 2 weeks"): its date is echoed
    same_as: str | None = None  # an open deadline of the activity with the same date and text


@dataclass(frozen=True)
class DeadlineMoved:
    deadline: Deadline  # as it is now
    before: date | None
    on: date
    today: date
    typed: str = ""  # the date as typed, when relative ("in 2 weeks")


@dataclass(frozen=True)
class Snoozed:
    deadline: Deadline
    until: date  # no reminder before this day
    today: date
    typed: str = ""


@dataclass(frozen=True)
class PastDate:
    on: date
    today: date


@dataclass(frozen=True)
class AlreadyDone:
    deadline: Deadline


@dataclass(frozen=True)
class DeadlineDone:
    deadline: Deadline


@dataclass(frozen=True)
class DeadlineRemoved:
    deadline: Deadline


@dataclass(frozen=True)
class EventMoved:
    name: str
    on: date
    before: date | None
    moved: tuple[tuple[Deadline, date | None], ...]  # open deadlines that follow it, new dates
    today: date
    created: bool = False


@dataclass(frozen=True)
class EventRemoved:
    name: str
    on: date


@dataclass(frozen=True)
class Reminders:
    """Where reminders go (None: off), whether this command just chose it, and the schedule."""

    channel: str | None
    changed: bool
    console: bool  # `channel` is the console itself
    settings: Settings


# --- update, set, edit, undo --------------------------------------------------------------


@dataclass(frozen=True)
class StatusAdded:
    code: str
    row: int  # 0-based
    rows: int
    line: str  # the stamped line as stored
    row_given: bool  # the person named the request (S4.2)


@dataclass(frozen=True)
class FundingSet:
    code: str
    row: int
    rows: int
    status: str
    before: str
    note: str
    changed: bool


@dataclass(frozen=True)
class OpenForm:
    """`/brs edit`: the form for `activity` as of history record `seq`."""

    activity: Activity
    seq: int


@dataclass(frozen=True)
class Undone:
    code: str  # an activity's code or an event's name
    records: tuple[Any, ...]  # the history records taken back (or re-applied), oldest first
    rows: int
    redo: bool = False  # the records were re-applied: the state reached is their `new`


@dataclass(frozen=True)
class NothingToRedo:
    code: str
    changed_since: bool  # something was undone, but a change since then cleared the redo stack


@dataclass(frozen=True)
class NothingToUndo:
    """The activity is as it was imported on `imported`."""

    code: str
    imported: date


# --- owners, the calendar's address ------------------------------------------------------


@dataclass(frozen=True)
class OwnersShown:
    """`/brs owner S17`: who owns it (Slack user IDs, in the order they were named)."""

    code: str
    owners: tuple[str, ...]


@dataclass(frozen=True)
class OwnersChanged:
    code: str
    owners: tuple[str, ...]  # after the change; () when the last was removed


@dataclass(frozen=True)
class AlreadyOwners:
    code: str
    added: tuple[str, ...]


@dataclass(frozen=True)
class NotOwners:
    """Asked to remove people who do not own `code`."""

    code: str
    missing: tuple[str, ...]
    owners: tuple[str, ...]


@dataclass(frozen=True)
class CalendarAddress:
    """`/brs calendar` for an editor: the feed's path, and its whole URL when BRS_PUBLIC_URL
    says where brs is reached (None: unset)."""

    path: str
    url: str | None


@dataclass(frozen=True)
class NoCalendarFeed:
    """Socket Mode has no web server, so nothing serves the feed."""


@dataclass(frozen=True)
class CalendarSecret:
    """Not an editor: the address is the editors' secret; whom to ask."""

    editors: tuple[str, ...]


# --- a submitted edit form ----------------------------------------------------------------


@dataclass(frozen=True)
class FormUnreadable:
    pass


@dataclass(frozen=True)
class FormGone:
    code: str
    removed: bool  # else re-imported with other requests


@dataclass(frozen=True)
class FieldErrors:
    errors: dict[str, str]  # input block_id -> what is wrong


@dataclass(frozen=True)
class Clash:
    """One field the person changed that someone else saved meanwhile."""

    block_id: str
    field: str  # "rows.0.status"
    by: Any | None  # the newest history record that changed it, if found
    now: Any  # what is saved now


@dataclass(frozen=True)
class Conflict:
    activity: Activity
    seq: int  # the newest history record: the form shown again is as of it
    shown: list[dict[str, Any]]  # the person's own text, kept
    clashes: tuple[Clash, ...]


@dataclass(frozen=True)
class NothingChanged:
    code: str


@dataclass(frozen=True)
class Saved:
    code: str
    rows: int
    records: tuple[Any, ...] = field(default=())


@dataclass(frozen=True)
class TooBusy:
    """Other commits kept landing first; nothing was saved."""

    code: str


Outcome = (
    Problem
    | Refused
    | DeadlineAdded
    | PastDate
    | DeadlineMoved
    | Snoozed
    | AlreadyDone
    | DeadlineDone
    | DeadlineRemoved
    | EventMoved
    | EventRemoved
    | Reminders
    | StatusAdded
    | FundingSet
    | OpenForm
    | Undone
    | NothingToUndo
    | OwnersShown
    | OwnersChanged
    | AlreadyOwners
    | NotOwners
    | CalendarAddress
    | NoCalendarFeed
    | CalendarSecret
    | NothingToRedo
    | FormUnreadable
    | FormGone
    | FieldErrors
    | Conflict
    | NothingChanged
    | Saved
    | TooBusy
)
