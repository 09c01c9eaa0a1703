"""What editing needs from the history, on both backends: batch identity, newest-only reads,
typed conflicts (ported from tests/store/test_history_batches.py)."""

from __future__ import annotations

import pytest

from store.repository import ChangedMeanwhile, StoreError


def test_every_record_names_the_last_record_of_its_commit(store, open_store):
    one = store.commit("U1", [("activity:S17", "title", "Activity S17", "A")])
    two = store.commit(
        "U1",
        [("activity:S17", "title", "A", "B"), ("deadline:S17-1", "done", False, True)],
    )
    assert [c.batch for c in one] == [one[0].seq]
    assert {c.batch for c in two} == {two[-1].seq}
    store.close()

    with open_store() as again:
        read = again.history("S17")[-3:]
        assert [c.batch for c in read] == [one[0].seq, two[-1].seq, two[-1].seq]
        assert read == one + two  # batch does not take part in equality


def test_newest_reads_only_the_latest_records(store):
    for n in range(5):
        store.commit("U1", [("activity:S17", "title", store.activity("S17").title, f"T{n}")])
    every = store.history("S17")
    assert store.history("S17", newest=2) == every[-2:]
    assert store.history("S17", newest=0) == []
    assert store.history_count("s17") == len(every)
    assert store.history_count("S99") == 0


def test_a_stale_old_value_raises_changed_meanwhile_a_store_error(store):
    with pytest.raises(ChangedMeanwhile, match="changed meanwhile"):
        store.commit("U1", [("activity:S17", "title", "not the title", "X")])
    assert issubclass(ChangedMeanwhile, StoreError)
    assert store.activity("S17").title == "Activity S17"


def test_undo_reverts_a_whole_batch_from_the_history(store):
    """What `/brs undo` does: the newest batch's records, applied backwards, as a new commit."""
    store.commit(
        "U1",
        [("activity:S17", "title", "Activity S17", "A"), ("deadline:S17-1", "done", False, True)],
    )
    last = store.history("S17", newest=1)[0]
    batch = [c for c in store.history("S17") if c.batch == last.batch]
    undone = store.commit("U2", [(c.target, c.field, c.new, c.old) for c in reversed(batch)])
    assert len(undone) == 2 and {c.batch for c in undone} == {undone[-1].seq}
    assert store.activity("S17").title == "Activity S17"
    assert not store.deadline("S17-1").done
    assert store.history_count("S17") == 4 + 4  # undo is itself new records
