"""Three-way re-import: Slack edits survive, file changes arrive, both changed is a listed conflict."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from store.repository import Store, StoreError
from tests.store.factories import activity, report, row


def clock() -> datetime:
    return datetime(2012, 8, 20, 7, 0, tzinfo=UTC)


def _report(status1="Ongoing.", status2="Ongoing.", title2=None):
    return report(
        [
            activity("S1", 1, rows=[row(status1)]),
            activity("S2", 2, title=title2, rows=[row(status2)]),
        ],
        [],
    )


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "brs.json", clock=clock) as s:
        s.import_report(_report())
        yield s


def _slack_edit(store, code, status):
    old = list(store.activity(code).rows[0].status)
    store.commit("U1", [(f"activity:{code}", "rows.0.status", old, [*old, status])])


def test_the_same_file_again_keeps_slack_edits(store):
    _slack_edit(store, "S1", "Draft sent.")
    result = store.import_report(_report())
    assert store.activity("S1").rows[0].status == ("Ongoing.", "Draft sent.")
    assert (result.changed, result.report.merge.kept) == (0, [("S1", "rows.0.status")])


def test_a_field_only_the_file_changed_takes_the_files_value(store):
    _slack_edit(store, "S1", "Draft sent.")
    result = store.import_report(_report(status2="Finished.", title2="Renamed"))
    assert store.activity("S2").rows[0].status == ("Finished.",)
    assert store.activity("S2").title == "Renamed"
    assert store.activity("S1").rows[0].status == ("Ongoing.", "Draft sent.")
    assert result.report.changed == {"S2": ["title", "rows.0.status"]}


def test_both_changed_keeps_local_and_lists_the_conflict(store):
    _slack_edit(store, "S1", "Draft sent.")
    result = store.import_report(_report(status1="Completed in July."))
    assert store.activity("S1").rows[0].status == ("Ongoing.", "Draft sent.")
    assert result.report.merge.conflicts == [("S1", "rows.0.status")]
    assert any("conflict: S1 rows.0.status" in line for line in result.report.lines())
    recorded = [c for c in store.history("S1") if c.field == "import_conflicts"]
    assert recorded and "Completed in July." in recorded[-1].new[0]
    # The file's value becomes the base: importing it again is no longer a conflict.
    again = store.import_report(_report(status1="Completed in July."))
    assert again.report.merge.conflicts == []


def test_removals_are_refused_unless_allowed_and_named(store):
    only_s1 = replace(_report(), activities=_report().activities[:1])
    with pytest.raises(StoreError, match="remove 1 activity: S2; nothing was changed"):
        store.import_report(only_s1, allow_removals=False)
    assert store.codes() == ["S1", "S2"]
    store.import_report(only_s1, allow_removals=True)
    assert store.codes() == ["S1"]


def test_a_store_without_a_base_takes_the_file_and_says_so(store):
    # A store imported before three-way imports has no base in its report document.
    old_base = store._docs["report"][""]["base"]
    store.commit("system", [("report", "base", old_base, None)])
    _slack_edit(store, "S1", "Draft sent.")
    result = store.import_report(_report())
    assert result.report.no_base
    assert store.activity("S1").rows[0].status == ("Ongoing.",)
    assert any("no values of an earlier import" in line for line in result.report.lines())
    # From now on there is a base again.
    _slack_edit(store, "S1", "Draft sent.")
    assert store.import_report(_report()).report.merge.kept == [("S1", "rows.0.status")]
