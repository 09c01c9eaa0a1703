"""History records hold what changed: appends and trims on disk, whole values to readers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from store.history import history_path
from store.records import Change, applied, before, compact, resolve
from store.repository import Store, StoreError
from tests.store.factories import sample_report

NOW = datetime(2012, 8, 20, 7, 0, tzinfo=UTC)
AT = "2012-08-20T07:00:00Z"


def clock() -> datetime:
    return NOW


@pytest.fixture
def path(tmp_path):
    return tmp_path / "brs.json"


def lines(path) -> list[dict]:
    return [json.loads(line) for line in history_path(path).read_text().splitlines()]


def status(store: Store) -> list[str]:
    return list(store.activity("S17").rows[0].status)


def append(store: Store, line: str) -> list[Change]:
    old = status(store)
    return store.commit("U1", [("activity:S17", "rows.0.status", old, [*old, line])])


def test_compact_keeps_only_what_was_added_or_cut():
    grown = Change(1, "activity:S1", "rows.0.status", ["a"], ["a", "b", "c"], "U1", AT)
    assert compact(grown).op == "append"
    assert (compact(grown).old, compact(grown).new) == (1, ["b", "c"])
    cut = Change(2, "activity:S1", "rows.0.status", ["a", "b"], ["a"], "U1", AT)
    assert (compact(cut).op, compact(cut).old, compact(cut).new) == ("trim", ["b"], 1)
    for kept in (
        Change(3, "activity:S1", "rows.0.status", ["a"], ["b", "a"], "U1", AT),  # not at the end
        Change(4, "activity:S1", "rows.0.status", ["a"], ["b"], "U1", AT),
        Change(5, "activity:S1", "", ["a"], ["a", "b"], "U1", AT),  # a whole document
        Change(6, "activity:S1", "title", "a", "ab", "U1", AT),  # strings stay whole
    ):
        assert compact(kept) is kept
    for change in (grown, cut):
        assert applied(change.old, compact(change)) == change.new
        assert before(change.new, compact(change)) == change.old


def test_a_delta_that_does_not_fit_is_refused():
    grown = compact(Change(1, "activity:S1", "rows.0.status", ["a"], ["a", "b"], "U1", AT))
    with pytest.raises(ValueError):
        applied(["a", "x", "y"], grown)
    with pytest.raises(ValueError):
        applied("not a list", grown)


def test_resolve_walks_back_from_the_current_document():
    doc = {"rows": [{"status": ["a", "b", "c"]}]}
    newest_first = [
        compact(Change(3, "activity:S1", "rows.0.status", ["a", "b"], ["a", "b", "c"], "U", AT)),
        Change(2, "activity:S1", "title", "x", "y", "U", AT),
        compact(Change(1, "activity:S1", "rows.0.status", ["a"], ["a", "b"], "U", AT)),
    ]
    whole = resolve(doc, newest_first)
    assert (whole[3].old, whole[3].new) == (["a", "b"], ["a", "b", "c"])
    assert (whole[1].old, whole[1].new, whole[1].op) == (["a"], ["a", "b"], "set")
    assert doc == {"rows": [{"status": ["a", "b", "c"]}]}  # not changed by the walk


def test_an_update_is_stored_as_the_line_added_and_read_as_whole_lists(path):
    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report())
        first = status(s)
        recorded = append(s, "one")
        assert (recorded[0].old, recorded[0].new) == (first, [*first, "one"])
        append(s, "two")
        stored = lines(path)[-2:]
        assert [(r["op"], r["old"], r["new"]) for r in stored] == [
            ("append", len(first), ["one"]),
            ("append", len(first) + 1, ["two"]),
        ]
        newest = s.history("S17", newest=2)
        assert [(c.old, c.new) for c in newest] == [
            (first, [*first, "one"]),
            ([*first, "one"], [*first, "one", "two"]),
        ]
        assert s.last_change("S17") == newest[-1]
    with Store.open(path, clock=clock) as s:  # the same from the file
        assert s.history("S17", newest=2) == newest
        assert s.history("activity:S17")[-2:] == newest


def test_undo_of_an_append_is_a_trim_and_both_replay_exactly(path):
    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report())
        first = status(s)
        append(s, "one")
        append(s, "two")
        last = s.last_change("S17")
        undone = s.commit("U1", [(last.target, last.field, last.new, last.old)])  # what undo sends
        assert (undone[0].old, undone[0].new) == ([*first, "one", "two"], [*first, "one"])
        assert lines(path)[-1]["op"] == "trim" and lines(path)[-1]["old"] == ["two"]
        assert status(s) == [*first, "one"]
        saved = path.read_bytes()
        append(s, "three")
        expected = s.activity("S17")
    path.write_bytes(saved)  # the database file from before the last change: the history replays it
    with Store.open(path, clock=clock) as s:
        assert s.activity("S17") == expected
        assert status(s) == [*first, "one", "three"]
    path.unlink()  # no database file at all: everything is rebuilt from the history
    with Store.open(path, clock=clock) as s:
        assert s.activity("S17") == expected
        assert [(c.old, c.new) for c in s.history("S17", newest=1)] == [
            ([*first, "one"], [*first, "one", "three"])
        ]


def test_a_history_that_does_not_fit_the_store_is_refused_with_one_line(path):
    with Store.open(path, clock=clock) as s:
        s.import_report(sample_report())
        saved = path.read_bytes()
        append(s, "one")
    tables = json.loads(saved)
    s17 = next(doc for doc in tables["activities"].values() if doc["code"] == "S17")
    s17["rows"][0]["status"].append("a line the history does not know")
    path.write_text(json.dumps(tables))
    with pytest.raises(StoreError) as err:
        Store.open(path, clock=clock)
    assert "does not fit the store" in str(err.value) and "\n" not in str(err.value)


def test_a_thousand_appends_keep_the_history_small(path):
    with Store.open(path, clock=clock, checkpoint_every=100) as s:
        s.import_report(sample_report())
        size = history_path(path).stat().st_size
        for i in range(1000):
            append(s, f"20 August 2012 (jane.doe): responses received from {i} parties")
    per_record = (history_path(path).stat().st_size - size) / 1000
    assert per_record < 300  # the line and the record's names, not the list twice
