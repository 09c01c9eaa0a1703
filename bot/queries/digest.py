"""The Monday digest's content, from the same queries `/brs deadlines` and `/brs funding` use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot import grammar as c
from bot import queries as q

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store

DIGEST_DAYS = 30


@dataclass(frozen=True)
class Digest:
    deadlines: q.DeadlineList  # overdue, and due in the next DIGEST_DAYS days
    unfunded: tuple[q.FundingEntry, ...]  # activities with requests not yet funded


def digest(store: Store, today: date) -> Digest:
    deadlines = q.run(store, c.Deadlines(DIGEST_DAYS), today=today)
    funding = q.run(store, c.Funding("not_yet"), today=today)
    assert isinstance(deadlines, q.DeadlineList) and isinstance(funding, q.FundingOverview)
    return Digest(deadlines, funding.groups[0].entries if funding.groups else ())
