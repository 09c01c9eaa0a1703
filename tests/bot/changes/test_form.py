"""The `/brs edit` form: what it shows, how a submission is checked, and the stale-form conflict."""

from __future__ import annotations

import json
import re

import pytest

from bot.changes import edits
from bot.changes import form as form_changes
from bot.changes.deadlines import apply as deadline_apply
from bot.grammar.deadlines import parse as deadline_parse
from bot.grammar.edits import parse
from bot.render.form import INPUT_MAX, METADATA_MAX, edit_view, form_ack
from bot.render.results import render
from bot.render.text import blocks_to_text
from store.model import replace
from store.report.funding import read_funding
from tests.bot.edit_store import EDITOR, EDITORS, NASTY, OTHER, asker, fresh_store

_MENTION = re.compile(r"<@[UW][A-Z0-9]+>")


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def apply(store, change, who):
    return render(edits.apply(store, change, who))


def submit(store, view: dict, user: str) -> dict:
    """The ack Slack gets for a submitted form."""
    return form_ack(form_changes.submit(store, view, user, EDITORS))


def form(store, code: str) -> dict:
    return apply(store, parse("edit", code), asker()).view


def filled(view: dict, **changes: str | None) -> dict:
    """The view as Slack sends it on submit: each input's value, some changed by the person."""
    changes = {k.replace("_", ".", 1): v for k, v in changes.items()}  # r0_status -> r0.status
    values = {}
    for b in view["blocks"]:
        if b["type"] != "input":
            continue
        el, bid = b["element"], b["block_id"]
        if el["type"] == "static_select":
            chosen = changes.get(bid, el["initial_option"]["value"])
            values[bid] = {"v": {"type": "static_select", "selected_option": {"value": chosen}}}
        else:
            typed = changes.get(bid, el.get("initial_value"))
            values[bid] = {"v": {"type": "plain_text_input", "value": typed or None}}
    return {**view, "id": "V0FORM", "state": {"values": values}}


def said(ack: dict) -> str:
    return blocks_to_text(ack["view"]["blocks"])


def mrkdwn_texts(view: dict) -> list[str]:
    found = []
    for b in view["blocks"]:
        for t in [b.get("text"), *b.get("elements", ())]:
            if isinstance(t, dict) and t.get("type") == "mrkdwn":
                found.append(t["text"])
    return found


def assert_inert(view: dict) -> None:
    for text in mrkdwn_texts(view):
        rest = _MENTION.sub("", text)
        assert "<" not in rest and ">" not in rest, text
        assert not re.search(r"&(?!amp;|lt;|gt;)", rest), text


# --- the form -------------------------------------------------------------------------------


def test_the_form_holds_each_rows_fields_within_slacks_limits(store):
    view = form(store, "S4")

    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [
        f"r{i}.{f}" for i in (0, 1) for f in ("status", "next_steps", "fstatus", "flines", "implications")
    ]  # fmt: skip
    row = store.activity("S4").rows[1]
    assert inputs["r1.status"]["element"]["initial_value"] == "\n".join(row.status)
    assert inputs["r1.fstatus"]["element"]["initial_option"]["value"] == "mixed"
    assert inputs["r0.fstatus"]["element"]["initial_option"]["value"] == "none"
    assert "request 2" in inputs["r1.status"]["label"]["text"]
    assert len(view["blocks"]) <= 100 and len(view["title"]["text"]) <= 24
    assert len(view["private_metadata"]) <= METADATA_MAX
    meta = json.loads(view["private_metadata"])
    assert meta["code"] == "S4" and meta["seq"] == store.last_change("S4").seq
    for b in inputs.values():
        assert len(b["label"]["text"]) <= 2000
        assert len(b["element"].get("initial_value", "")) <= INPUT_MAX


def test_text_people_typed_shows_inert_in_the_form(store):
    do_update = apply(store, parse("update", f"S17 {NASTY}"), asker())
    assert "Added" in do_update.text
    a = store.activity("S17")
    row = replace(a.rows[0], requests=(NASTY,))
    view = edit_view(replace(a, title=NASTY, rows=(row,)), 1)
    assert_inert(view)


# --- submitting -----------------------------------------------------------------------------


def test_a_submission_commits_what_the_person_changed(store):
    view = form(store, "S17")
    lines = list(store.activity("S17").rows[0].next_steps)

    ack = submit(
        store, filled(view, r0_next_steps="\n".join([*lines, "Publish the report"])), EDITOR
    )

    assert ack["response_action"] == "update"
    assert "Saved 1 change to S17" in said(ack)
    assert store.activity("S17").rows[0].next_steps == (*lines, "Publish the report")
    assert store.last_change("S17").user == EDITOR


def test_blank_lines_are_dropped_and_nothing_changed_is_nothing_saved(store):
    view = form(store, "S17")
    count = store.history_count("S17")
    status = "\n\n".join(store.activity("S17").rows[0].status) + "\n  \n"

    ack = submit(store, filled(view, r0_status=status), EDITOR)

    assert "Nothing changed in S17" in said(ack)
    assert store.history_count("S17") == count


def test_changing_the_funding_status_rewords_the_funding(store):
    ack = submit(store, filled(form(store, "S8"), r0_fstatus="fully"), EDITOR)

    row = store.activity("S8").rows[0]
    assert ack["response_action"] == "update"
    assert row.funding.status == "fully" and row.funding_lines == ("Yes", "Fully funded.")


def test_funding_words_that_say_another_status_get_an_inline_error(store):
    before = store.activity("S8")
    view = filled(form(store, "S8"), r0_fstatus="fully", r0_flines="Yes\nNot yet funded.")

    ack = submit(store, view, EDITOR)

    assert ack == {
        "response_action": "errors",
        "errors": {
            "r0.flines": 'These words read as "not yet funded" but Funding says "fully funded". '
            "Make them agree, or put the words back as they were and brs rewords them."
        },
    }
    assert store.activity("S8") == before


def test_words_that_agree_are_stored_as_typed(store):
    words = "Yes\nFully funded by donor X & Y."
    submit(store, filled(form(store, "S8"), r0_fstatus="fully", r0_flines=words), EDITOR)
    row = store.activity("S8").rows[0]
    assert row.funding_lines == ("Yes", "Fully funded by donor X & Y.")
    assert row.funding == read_funding(row.funding_lines)


def test_a_field_over_the_limit_gets_an_inline_error(store):
    before = store.activity("S17")
    ack = submit(store, filled(form(store, "S17"), r0_implications="z" * 3001), EDITOR)
    assert ack["response_action"] == "errors"
    assert "at most 3,000 characters; it has 3,001" in ack["errors"]["r0.implications"]
    assert store.activity("S17") == before


# --- two editors, one activity --------------------------------------------------------------


def test_a_stale_form_is_told_what_changed_meanwhile_instead_of_overwriting(store):
    first, second = form(store, "S17"), form(store, "S17")
    theirs = "Their status line"
    submit(store, filled(second, r0_status=theirs), OTHER)

    mine = "My status line"
    ack = submit(store, filled(first, r0_status=mine), EDITOR)

    assert store.activity("S17").rows[0].status == (theirs,)  # not overwritten
    assert ack["response_action"] == "update"
    again = ack["view"]
    warning = again["blocks"][1]["text"]["text"]
    assert "While you were editing, someone saved changes to *S17*" in warning
    assert "*Status of implementation* — <@U0OTHER>, 27 November 2026 10:32 UTC" in warning
    status = next(b for b in again["blocks"] if b.get("block_id") == "r0.status")
    assert status["element"]["initial_value"] == mine  # their own text is kept
    assert any("Saved meanwhile: “Their status line”" in t for t in mrkdwn_texts(again))
    assert_inert(again)

    # Having seen it, saving again is a choice: now it replaces theirs.
    ack = submit(store, filled(again), EDITOR)
    assert "Saved 1 change" in said(ack)
    assert store.activity("S17").rows[0].status == (mine,)


def test_changes_to_different_fields_both_stay(store):
    first, second = form(store, "S17"), form(store, "S17")
    submit(store, filled(second, r0_status="Theirs"), OTHER)
    ack = submit(store, filled(first, r0_next_steps="Mine"), EDITOR)

    assert "Saved 1 change" in said(ack)
    row = store.activity("S17").rows[0]
    assert (row.status, row.next_steps) == (("Theirs",), ("Mine",))


def test_a_stale_funding_change_is_a_conflict_too(store):
    first, second = form(store, "S8"), form(store, "S8")
    apply(store, parse("set", "S8 funding none"), asker(OTHER))
    ack = submit(store, filled(first, r0_fstatus="fully"), EDITOR)
    assert ack["response_action"] == "update" and "While you were editing" in said(ack)
    assert store.activity("S8").rows[0].funding.status == "none"
    assert second  # unused: only the first one was stale


def test_the_same_change_made_twice_is_no_conflict(store):
    first, second = form(store, "S17"), form(store, "S17")
    submit(store, filled(second, r0_status="Same"), OTHER)
    ack = submit(store, filled(first, r0_status="Same"), EDITOR)
    assert "Nothing changed" in said(ack)


def test_an_activity_removed_meanwhile_is_said(store):
    view = form(store, "S17")
    from store.model import activity_to_dict

    store.commit("import", [("activity:S17", "", activity_to_dict(store.activity("S17")), None)])
    ack = submit(store, filled(view, r0_status="x"), EDITOR)
    assert "S17 was removed while you were editing; nothing was saved" in said(ack)


def test_a_form_that_cannot_be_read_saves_nothing(store):
    view = {**form(store, "S17"), "private_metadata": "garbage"}
    ack = submit(store, filled(view, r0_status="x"), EDITOR)
    assert "cannot be read" in said(ack)


def test_undo_takes_back_a_whole_form_save(store):
    before = store.activity("S8")
    view = filled(form(store, "S8"), r0_status="New status", r0_next_steps="", r0_fstatus="fully")
    assert "Saved 4 changes to S8" in said(submit(store, view, EDITOR))
    apply(store, parse("undo", "S8"), asker(OTHER))
    assert store.activity("S8") == before


def test_undo_takes_back_a_new_deadline(store):
    before = store.deadlines("S17")
    deadline_apply(store, deadline_parse("deadline", ["add", "S17", "2027-01-31", "Ship"]), asker())
    assert len(store.deadlines("S17")) == len(before) + 1
    apply(store, parse("undo", "S17"), asker())
    assert store.deadlines("S17") == before
