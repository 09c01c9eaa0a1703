"""What the scheduler hands its outbox: a message with metadata, and the outbox's contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    blocks: list[dict]
    text: str  # the notification fallback
    metadata: dict[str, Any]  # {"event_type": ..., "event_payload": {...}}

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the message in the channel: (event type, ledger key, date)."""
        payload = self.metadata["event_payload"]
        return (self.metadata["event_type"], payload["key"], payload["on"])


class DeliveryError(Exception):
    """The post was not taken (or could not be asked for); the message says why, in one line."""


class Outbox(Protocol):
    """Where reminders go (Slack's or the console's), given to jobs by the layer above."""

    def post(self, channel: str, message: Message) -> str:
        """Post; returns the message's ts. Raises DeliveryError."""
        ...

    def find(self, channel: str, message: Message, since: datetime | None) -> str | None:
        """The ts of `message` if an earlier attempt did post it, else None. DeliveryError."""
        ...
