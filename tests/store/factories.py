"""Hand-built reports for the store tests (independent of the importer)."""

from __future__ import annotations

from datetime import date

from store.model import Activity, Deadline, Funding, FundingPart, Report, Row, Section

SECTIONS = (Section("I", "Organizational issues"), Section("VII", "Joint activities"))


def row(status: str = "Ongoing.", funding: str = "not_yet") -> Row:
    needed = "no" if funding == "none" else "yes"
    return Row(
        requests=("Requests the Secretariat to act.",),
        status=(status,),
        next_steps=("Continue.",),
        funding_lines=(f"{needed.title()}; {funding}",),
        implications=("Delay.",),
        funding=Funding(needed, needed.title(), funding, (FundingPart(funding, funding),)),
    )


def activity(code: str, order: int, title: str | None = None, rows=None) -> Activity:
    section = SECTIONS[0] if order < 10 else SECTIONS[1]
    return Activity(
        code=code,
        title=title or f"Activity {code}",
        section=section.number,
        section_title=section.title,
        rows=tuple(rows) if rows is not None else (row(),),
        order=order,
    )


def deadline(dl_id: str, on: date | None, due: str = "the report", **kw) -> Deadline:
    return Deadline(
        id=dl_id,
        activity=dl_id.rpartition("-")[0],
        due=due,
        sentence=f"Deliver {due} by {on}.",
        on=on,
        **kw,
    )


def report(activities, deadlines, title: str = "Status of synergies activities") -> Report:
    return Report(
        title=title,
        sections=SECTIONS,
        activities=tuple(activities),
        deadlines=tuple(deadlines),
        footnotes=("1 A footnote.",),
        toc=(("I", "Organizational issues", "S1"),),
    )


def sample_report() -> Report:
    return report(
        [activity("S1", 1), activity("S2", 2), activity("S17", 17, rows=[row(), row()])],
        [
            deadline("S1-1", date(2012, 3, 29), "meeting", kind="milestone", done=True),
            deadline("S17-1", date(2012, 8, 31), "responses from parties"),
            deadline("S17-2", date(2012, 12, 31), "the report"),
            deadline("S17-3", None, "publication", event="COP-2013", offset_days=-90),
        ],
    )
