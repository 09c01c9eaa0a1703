"""The sent-ledger: each reminder's state (sending, sent, skipped), kept in the store."""

# One entry per (deadline, lead) and one for the digest, so it stays as small as the schedule;
# the entry carries the deadline's date, so a deadline that moves gets its reminders again.
# The store keeps entries and the scheduler's last run in a small file of their own (one
# appended line a write); snoozes are changes people make, so they are history records.

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from jobs.schedule import Entry, Item

LAST_RUN = "scheduler_last_run"
SNOOZE = "snooze"
# Retries after a failed post (slack_sdk has already retried it a few times within seconds).
RETRY_FIRST = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)


class LedgerStore(Protocol):
    """What the ledger needs of store.repository.Store."""

    def reminder_entries(self) -> Mapping[str, dict[str, Any]]: ...
    def put_reminder_entries(self, entries: Mapping[str, dict[str, Any] | None]) -> None: ...
    def get_meta(self, key: str, default: Any = None) -> Any: ...
    def set_meta(self, key: str, value: Any) -> None: ...
    def snoozes(self) -> Mapping[str, date]: ...
    def set_snooze(self, deadline_id: str, until: date, user: str) -> Any: ...


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _entry(key: str, doc: Mapping[str, Any]) -> Entry:
    return Entry(
        key=key,
        on=date.fromisoformat(doc["on"]),
        state=doc["state"],
        channel=doc.get("channel"),
        ts=doc.get("ts"),
        since=_when(doc.get("since")),
        attempts=int(doc.get("attempts", 0)),
        next_try=_when(doc.get("next_try")),
    )


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … up to an hour: a failing Slack is asked again, never given up on."""
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_MAX)


class Snapshot:
    """The ledger at one moment, read the way jobs.schedule.plan() asks (a Book)."""

    def __init__(
        self, docs: Mapping[str, Mapping[str, Any]], snoozes: Mapping[str, date] | None = None
    ) -> None:
        self._docs = docs
        self._snoozes = snoozes or {}

    def entry(self, key: str) -> Entry | None:
        doc = self._docs.get(key)
        return _entry(key, doc) if doc is not None and "state" in doc else None

    def snoozes(self) -> dict[str, date]:
        suffix = f"|{SNOOZE}"
        # Entries named "<id>|snooze" are how a schema 1 store (read-only) still holds them.
        legacy = {
            key.removesuffix(suffix): date.fromisoformat(doc["until"])
            for key, doc in self._docs.items()
            if key.endswith(suffix)
        }
        return {**legacy, **self._snoozes}

    def unfinished(self) -> Iterator[Entry]:
        for key, doc in self._docs.items():
            if doc.get("state") == "sending":
                yield _entry(key, doc)


def sending(item: Item, channel: str, now: datetime, before: Entry | None) -> Entry:
    """`item` about to be posted (again, after `before` failed): written before the post,
    so a crash after Slack's ok leaves a trace to look for."""
    again = before is not None and before.on == item.on and before.state == "sending"
    since = before.since if again and before and before.since else now
    attempts = (before.attempts if again and before else 0) + 1
    return Entry(item.key, item.on, "sending", channel, since=since, attempts=attempts)


def sent(entry: Entry, ts: str) -> Entry:
    return Entry(entry.key, entry.on, "sent", entry.channel, ts, entry.since, entry.attempts)


def retry(entry: Entry, now: datetime) -> Entry:
    """The post failed: still "sending" (it may have reached Slack), to be tried again later."""
    return Entry(
        entry.key,
        entry.on,
        "sending",
        entry.channel,
        since=entry.since,
        attempts=entry.attempts,
        next_try=now + retry_delay(entry.attempts),
    )


class Ledger:
    """Writes go straight to the store's ledger file, one fsynced append each."""

    def __init__(self, store: LedgerStore) -> None:
        self._store = store

    def snapshot(self) -> Snapshot:
        return Snapshot(self._store.reminder_entries(), self._store.snoozes())

    def last_run(self) -> datetime | None:
        return _when(self._store.get_meta(LAST_RUN))

    def set_last_run(self, at: datetime) -> None:
        self._store.set_meta(LAST_RUN, at.isoformat())

    def write(self, entries: Iterable[Entry], now: datetime) -> None:
        """Record entries in one atomic file write (a sent one with the time it was recorded)."""
        docs: dict[str, dict[str, Any] | None] = {}
        for e in entries:
            docs[e.key] = _doc(e, recorded=now)
        if docs:
            self._store.put_reminder_entries(docs)

    def skip(self, items: Iterable[Item], *, reason: str) -> None:
        docs: dict[str, dict[str, Any] | None] = {
            i.key: _doc(Entry(i.key, i.on, "skipped"), reason=reason) for i in items
        }
        if docs:
            self._store.put_reminder_entries(docs)

    def drop(self, keys: Iterable[str]) -> None:
        """Forget unfinished entries whose reminder no longer exists (deadline moved or done)."""
        docs: dict[str, dict[str, Any] | None] = dict.fromkeys(keys)
        if docs:
            self._store.put_reminder_entries(docs)

    def prune(self, deadline_ids: set[str]) -> None:
        """Forget the entries of deadlines that no longer exist, so the ledger stays bounded."""
        gone = [
            k
            for k in self._store.reminder_entries()
            if "|" in k and k.split("|")[0] not in deadline_ids
        ]
        self.drop(gone)

    def snooze(self, deadline_id: str, until: date, user: str, now: datetime) -> None:
        """A history record, so a rebuild from the history keeps it (stamped by the store's
        clock, so `now` is not needed any more)."""
        self._store.set_snooze(deadline_id, until, user)


def _doc(entry: Entry, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"on": entry.on.isoformat(), "state": entry.state}
    for name in ("channel", "ts", "since", "next_try"):
        value = getattr(entry, name)
        if value is not None:
            doc[name] = value.isoformat() if isinstance(value, datetime) else value
    if entry.attempts:
        doc["attempts"] = entry.attempts
    for name, value in extra.items():
        doc[name] = value.isoformat() if isinstance(value, datetime) else value
    return doc
