"""Many writers, one store: slash-command threads, form submissions and scheduler writes at once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from bot.changes.edits import apply
from bot.changes.form import submit
from bot.grammar.edits import SetFunding, Update, parse
from bot.render.form import form_ack
from bot.render.results import render
from bot.slack.serve import CHECKPOINT_EVERY
from store.repository import Store
from tests.bot.edit_store import EDITOR, EDITORS, OTHER, asker, fresh_store

THREADS = 8
EACH = 100


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    # As `brs serve` opens it: a commit is one history append and fsync.
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp(), checkpoint_every=CHECKPOINT_EVERY)
    yield s
    s.close()


def _form_with(store: Store, text: str) -> dict:
    view = render(apply(store, parse("edit", "S17"), asker(OTHER))).view
    values = {}
    for b in view["blocks"]:
        if b["type"] != "input":
            continue
        el = b["element"]
        if el["type"] == "static_select":
            values[b["block_id"]] = {"v": {"selected_option": el["initial_option"]}}
        else:
            typed = text if b["block_id"] == "r0.next_steps" else el.get("initial_value")
            values[b["block_id"]] = {"v": {"value": typed}}
    return {**view, "state": {"values": values}}


def test_eight_threads_of_a_hundred_updates_lose_nothing_and_apply_nothing_twice(store, tmp_path):
    start = threading.Barrier(THREADS + 3)
    failures: list[str] = []
    before = store.activity("S17").rows[0].status

    def updates(n: int) -> None:
        start.wait()
        for i in range(EACH):
            reply = render(apply(store, Update("S17", None, f"t{n} u{i}"), asker(EDITOR)))
            if "Added to" not in reply.text:
                failures.append(reply.text)

    def funding() -> None:  # the same document, another field
        start.wait()
        for i in range(EACH):
            status = ("fully", "partly")[i % 2]
            apply(store, SetFunding("S17", None, status, f"round {i}"), asker(OTHER))

    def forms() -> None:  # form submissions on the same document
        start.wait()
        for i in range(EACH // 4):
            ack = form_ack(submit(store, _form_with(store, f"Next step {i}"), OTHER, EDITORS))
            if ack.get("response_action") != "update" or "Saved" not in str(ack):
                failures.append(str(ack)[:200])

    def scheduler() -> None:  # the reminder ledger, written beside the history
        start.wait()
        for i in range(EACH):
            store.put_reminder_entries({f"S17-2|{i}": {"state": "sent", "ts": str(i)}})

    threads = [threading.Thread(target=updates, args=(n,)) for n in range(THREADS)]
    threads += [threading.Thread(target=f) for f in (funding, forms, scheduler)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    added = store.activity("S17").rows[0].status[len(before) :]
    texts = [line.partition("): ")[2] for line in added]
    assert Counter(texts) == Counter(f"t{n} u{i}" for n in range(THREADS) for i in range(EACH))
    for n in range(THREADS):  # each thread's own updates in the order it made them
        mine = [t for t in texts if t.startswith(f"t{n} ")]
        assert mine == [f"t{n} u{i}" for i in range(EACH)]
    assert store.activity("S17").rows[0].next_steps == (f"Next step {EACH // 4 - 1}",)
    assert len(store.reminder_entries()) >= EACH

    # What is on disk says the same after a reopen.
    store.close()
    with Store.open(tmp_path / "brs.json") as again:
        assert again.activity("S17").rows[0].status[len(before) :] == added
        records = [r for r in again.history("S17") if r.field == "rows.0.status"]
        assert len(records) == THREADS * EACH
