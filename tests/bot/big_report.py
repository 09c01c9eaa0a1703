"""A generated report of any size for the App Home tests: sections, funding, deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from store.model import Activity, Deadline, Funding, FundingPart, Row, Section
from store.repository import Store
from tests.bot.conftest import make_store

STATUSES = ("not_yet", "partly", "fully", "none")


def big_store(n: int = 200, sections: int = 9, today: date = date(2012, 8, 20)) -> Store:
    """`n` activities over `sections` sections; every third has two rows; long titles, & and <."""
    secs = [
        Section(f"{k + 1}", f"Section {k + 1} on <joint> work & outreach") for k in range(sections)
    ]
    items, dls = [], []
    for i in range(1, n + 1):
        sec = secs[(i - 1) * sections // n]
        status = STATUSES[i % 4]
        row = Row(
            requests=(f"The secretariat to do task {i} & report <back>.",),
            status=("Ongoing.",),
            next_steps=("Continue.",),
            funding_lines=("Yes", status),
            implications=("Delay.",),
            funding=Funding("yes", "Yes", status, (FundingPart(status, status),)),
        )
        title = f"Activity {i}: " + "a long title about synergies & <cooperation> " * (1 + i % 3)
        items.append(
            Activity(f"S{i}", title.strip(), sec.number, sec.title, (row,) * (1 + (i % 3 == 0)), i)
        )
        on = today + timedelta(days=(i * 7) % 400 - 60)
        dls.append(
            Deadline(
                f"S{i}-1", f"S{i}", f"Deliver item {i} & more", f"Deliver item {i} by then.", on=on
            )
        )
    return make_store(
        items=items, dls=dls, evts={}, sections=secs, title="A generated status report " * 8
    )
