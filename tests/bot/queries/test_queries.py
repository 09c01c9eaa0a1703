"""Queries on a small hand-made store: what each command finds, in what order."""

from __future__ import annotations

from datetime import date

from bot.grammar import parse
from bot.queries import (
    ActivityCard,
    ActivityList,
    DeadlineList,
    FundingOverview,
    HistoryResult,
    NotFound,
    SearchResults,
    run,
)
from tests.bot.conftest import TODAY, make_store


def ask(store, text: str, today: date = TODAY):
    return run(store, parse(text), today=today)


def test_card_has_the_activity_its_deadlines_and_last_change(store) -> None:
    card = ask(store, "s17")
    assert isinstance(card, ActivityCard)
    assert card.activity.code == "S17" and card.command == "S17"
    ids = [d.deadline.id for d in card.deadlines]
    assert ids == ["S17-2", "S17-3", "S17-4", "S17-1", "S17-5"]  # open soonest first, then done
    first = card.deadlines[0]
    assert (first.on, first.days) == (date(2012, 8, 31), 11)
    relative = card.deadlines[2]
    assert relative.on == date(2013, 1, 28)  # 90 days before COP-2013 on 28 April 2013
    assert card.last_change.user == "U456"


def test_relative_deadline_without_an_event_date_has_no_date(store) -> None:
    card = ask(make_store(evts={}), "S17")
    relative = next(d for d in card.deadlines if d.deadline.id == "S17-4")
    assert relative.on is None and relative.days is None


def test_unknown_code_lists_the_valid_ones(store) -> None:
    result = ask(store, "S99")
    assert result == NotFound("activity", "S99", ("S1", "S4", "S17"))
    assert ask(store, "history s99") == NotFound("activity", "S99", ("S1", "S4", "S17"))


def test_list_has_one_item_per_activity_with_badge_and_next_deadline(store) -> None:
    result = ask(store, "list")
    assert isinstance(result, ActivityList)
    assert [(i.code, i.funding) for i in result.items] == [
        ("S1", "not_yet"),
        ("S4", "mixed"),
        ("S17", "none"),
    ]
    assert [i.next_due.deadline.id for i in result.items] == ["S1-1", "S4-2", "S17-2"]


def test_overdue_deadline_counts_as_next(store) -> None:
    result = ask(store, "list", today=date(2012, 9, 3))
    s17 = result.items[2].next_due
    assert (s17.deadline.id, s17.days, s17.overdue) == ("S17-2", -3, True)


def test_section_by_roman_arabic_or_title_word(store) -> None:
    for key in ("VII", "vii", "7", "overall", "Management", "overall management"):
        result = ask(store, f"section {key}")
        assert [i.code for i in result.items] == ["S17"], key
    assert [i.code for i in ask(store, "section I").items] == ["S1", "S4"]
    assert [i.code for i in ask(store, "section tech").items] == ["S1", "S4"]


def test_unknown_section_lists_the_sections(store) -> None:
    result = ask(store, "section finance")
    assert result == NotFound(
        "section", "finance", ("I Technical assistance", "VII Overall management")
    )
    assert isinstance(ask(store, "section 5"), NotFound)


def test_funding_overview_groups_rows_in_order(store) -> None:
    result = ask(store, "funding")
    assert isinstance(result, FundingOverview)
    assert result.counts == (
        ("not_yet", 1),
        ("partly", 0),
        ("fully", 0),
        ("mixed", 1),
        ("unclear", 0),
        ("none", 2),
    )
    groups = {g.status: g.entries for g in result.groups}
    assert [e.code for e in groups["none"]] == ["S4", "S17"]
    s4_none, s4_mixed = groups["none"][0], groups["mixed"][0]
    assert s4_none.requests == (1,) and s4_mixed.requests == (2,)  # in two groups: qualified
    assert groups["none"][1].requests == ()  # S17 sits in one group only
    assert s4_mixed.words == ("Fully funded in 2012 / partly funded in 2013",)


def test_funding_group_alone(store) -> None:
    result = ask(store, "funding not-yet")
    assert [g.status for g in result.groups] == ["not_yet"]
    assert [e.code for e in result.groups[0].entries] == ["S1"]
    assert result.command == "funding not-yet"


def test_deadlines_overdue_first_then_upcoming_soonest_first(store) -> None:
    result = ask(store, "deadlines", today=date(2012, 9, 5))
    assert isinstance(result, DeadlineList)
    assert [d.deadline.id for d in result.overdue] == ["S17-2"]
    assert [d.deadline.id for d in result.upcoming] == ["S4-2", "S17-3", "S17-4", "S1-1"]
    assert result.upcoming[0].title.startswith("Develop partnerships")
    assert result.unset == ()


def test_deadlines_window_limits_upcoming_only(store) -> None:
    result = ask(store, "deadlines 30", today=date(2012, 9, 5))
    assert [d.deadline.id for d in result.overdue] == ["S17-2"]
    assert result.upcoming == ()
    result = ask(store, "deadlines 11")
    assert [d.deadline.id for d in result.upcoming] == ["S17-2"]  # due in exactly 11 days


def test_deadlines_whose_event_has_no_date_are_listed_apart() -> None:
    result = ask(make_store(evts={}), "deadlines")
    assert [d.deadline.id for d in result.unset] == ["S17-4"]
    assert "S17-4" not in [d.deadline.id for d in result.upcoming]


def test_done_deadlines_and_milestones_are_not_listed(store) -> None:
    result = ask(store, "deadlines")
    listed = {d.deadline.id for d in result.overdue + result.upcoming}
    assert not listed & {"S17-1", "S17-5", "S4-1"}


def test_search_ranks_title_matches_first_and_shows_the_line(store) -> None:
    result = ask(store, "search REVIEW")
    assert isinstance(result, SearchResults)
    assert result.hits[0].code == "S17"
    result = ask(store, "search question")  # a prefix of "questionnaire"
    assert [h.code for h in result.hits] == ["S17"]
    assert "questionnaire" in result.hits[0].line.lower()
    result = ask(store, "search work plan partnerships")
    assert [h.code for h in result.hits] == ["S4", "S1"]  # title word beats text words
    assert result.hits[0].score > result.hits[1].score


def test_search_best_line_matches_most_words(store) -> None:
    hit = ask(store, "search questionnaire parties sent").hits[0]
    assert hit.line == "The questionnaire was sent to parties on 21 May 2012."
    assert hit.column == "Status of implementation"


def test_search_finds_nothing(store) -> None:
    result = ask(store, "search xylophone")
    assert result.hits == () and result.query == "xylophone"


def test_history_newest_first(store) -> None:
    result = ask(store, "history s17")
    assert isinstance(result, HistoryResult)
    seqs = [c.seq for c in result.changes]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == len(seqs)
    assert (result.changes[0].user, result.changes[-1].user) == ("U456", "import")
    assert result.title == "Review arrangements"
