"""One exported file, named and titled for the day it was made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.exports import KINDS, export_bytes, filename
from bot.grammar.files import FileRequest
from bot.render import fmt_date

if TYPE_CHECKING:  # the store's module loads TinyDB; only types are needed
    from store.repository import Store


@dataclass(frozen=True)
class FileOut:
    filename: str
    data: bytes
    title: str


def build(store: Store, request: FileRequest, *, now: datetime, today: date) -> FileOut:
    """The file for `request` from the store's current state."""
    data = export_bytes(store, request.fmt, now=now, today=today)
    kind = KINDS[request.fmt]
    title = f"{kind.label.capitalize()}, {fmt_date(today)}"
    return FileOut(filename(request.fmt, today), data, title)
