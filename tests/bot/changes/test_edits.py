"""update, set, edit and undo against a real store: happy paths, bad input, refusals, undo."""

from __future__ import annotations

from datetime import date

import pytest

from bot.changes import edits
from bot.changes.deadlines import mark_done
from bot.grammar import parse as parse_query
from bot.grammar.edits import parse
from bot.queries import run
from bot.render.blocks import OpenModal
from bot.render.history import describe, field_label
from bot.render.results import render
from bot.render.text import blocks_to_text
from bot.settings import Settings
from store.model import deadline_to_dict
from store.report.funding import read_funding
from tests.bot.edit_store import EDITOR, NASTY, NOW, OTHER, asker, fresh_store
from tests.bot.slack_limits import assert_fits

TODAY = date(2026, 11, 27)


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def apply(store, change, who):
    return render(edits.apply(store, change, who))


def do(store, text: str, who=None) -> str:
    verb, _, rest = text.partition(" ")
    reply = apply(store, parse(verb, rest), who or asker(name="jane.doe"))
    assert_fits(reply)
    return blocks_to_text(reply.blocks)


def show(store, text: str) -> str:
    reply = render(run(store, parse_query(text), today=TODAY))
    assert_fits(reply)
    return blocks_to_text(reply.blocks)


def snapshot(store):
    return (
        store.activities(),
        store.deadlines(),
        store.history_count("S17"),
        store.last_change("S8"),
    )


# --- update ---------------------------------------------------------------------------------


def test_update_adds_a_dated_signed_line_to_the_first_row(store):
    before = store.activity("S17").rows[0].status

    out = do(store, "update S17 Responses received from 40 parties")

    line = "27 November 2026 (jane.doe): Responses received from 40 parties"
    assert store.activity("S17").rows[0].status == (*before, line)
    assert "Added to S17 · Status of implementation" in out and line in out
    record = store.last_change("S17")
    assert (record.user, record.field, record.at) == (
        EDITOR,
        "rows.0.status",
        "2026-11-27T10:32:00Z",
    )
    card = show(store, "S17")
    assert line in card
    assert "last change: @U0EDITOR, 27 November 2026 10:32 UTC" in card


def test_update_is_signed_with_the_user_id_when_slack_sends_no_name(store):
    do(store, "update S17 Done", asker())
    assert store.activity("S17").rows[0].status[-1] == "27 November 2026 (U0EDITOR): Done"


def test_update_picks_a_row_with_code_dot_number(store):
    do(store, "update S4.2 Plans drafted")
    assert store.activity("S4").rows[1].status[-1].endswith("Plans drafted")
    out = do(store, "update S4 Work plan adopted")
    assert store.activity("S4").rows[0].status[-1].endswith("Work plan adopted")
    assert "request 1 of 2" in out and "/brs update S4.2 … adds to request 2 instead" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("update S99 Something", 'No activity "S99". Valid codes: S1, S2'),
        ("update S4.3 Something", "S4 has 2 requests; there is no request 3"),
        ("update S17.2 Something", "S17 has one request; there is no request 2"),
        ("set S99 funding fully", 'No activity "S99"'),
        ("set S4 funding fully", "S4 has 2 requests, each with its own funding; say which: /brs set S4.1 or S4.2"),
        ("set S8 funding fully but not funded at all", 'The note reads as "not yet funded", not "fully funded"'),
        ("set S8 funding none partly funded by X", 'The note reads as "partly funded"'),
        ("undo S99", 'No activity "S99"'),
        ("edit S99", 'No activity "S99"'),
    ],
)  # fmt: skip
def test_bad_input_gets_one_clear_line_and_changes_nothing(store, text, message):
    before = snapshot(store)
    assert message in do(store, text)
    assert snapshot(store) == before


def test_a_status_line_over_3000_characters_is_refused_not_cut(store):
    before = snapshot(store)
    out = do(store, "update S17 " + "x" * 3001)
    assert "A status line holds at most 3,000 characters; yours has 3,001" in out
    assert snapshot(store) == before
    do(store, "update S17 " + "y" * 3000)
    assert store.activity("S17").rows[0].status[-1].endswith("y" * 3000)


def test_typed_text_is_stored_as_typed_and_shown_inert_everywhere(store):
    do(store, f"update S17 {NASTY}")
    do(store, f"set S8 funding partly {NASTY}")

    assert store.activity("S17").rows[0].status[-1].endswith(NASTY)
    assert store.activity("S8").rows[0].funding_lines[-1] == f"Partly funded: {NASTY}"
    # assert_fits (in show) fails on any unescaped <, > or & in mrkdwn: nothing pings or links.
    for query in (
        "S17",
        "S8",
        "history S17",
        "history S8",
        "search evil",
        "funding partly",
        "list",
    ):
        show(store, query)
    assert NASTY in show(store, "S17")  # the console shows what was typed


# --- set ------------------------------------------------------------------------------------


def test_set_funding_changes_status_and_keeps_the_words_coherent(store):
    assert store.activity("S8").rows[0].funding_lines == ("Yes", "Partly funded.")

    out = do(store, "set S8 funding fully Received from donor X")

    row = store.activity("S8").rows[0]
    assert row.funding_lines == ("Yes", "Fully funded: Received from donor X")
    assert row.funding.status == "fully" and row.funding.needed == "yes"
    assert row.funding == read_funding(row.funding_lines)  # a re-import reads the same
    assert "S8 is now fully funded (was partly funded)" in out
    assert "fully funded" in show(store, "S8")
    assert "S8" in show(store, "funding fully")


def test_set_keeps_conditional_needed_words_and_none_says_no(store):
    needed = store.activity("S7").rows[0].funding.needed_words
    do(store, "set S7 funding partly")
    assert store.activity("S7").rows[0].funding_lines == (needed, "Partly funded.")
    do(store, "set S7 funding none No longer needed")
    row = store.activity("S7").rows[0]
    assert row.funding_lines == ("No: No longer needed",) and row.funding.status == "none"


def test_set_on_one_row_of_several(store):
    do(store, "set S4.2 funding fully")
    rows = store.activity("S4").rows
    assert rows[1].funding.status == "fully" and rows[0].funding.status == "none"


def test_setting_what_is_already_set_records_nothing(store):
    count = store.history_count("S17")
    assert "S17 is already no funding needed; nothing changed" in do(store, "set S17 funding none")
    assert store.history_count("S17") == count


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["update S17 x", "set S8 funding fully", "undo S17", "edit S17"])
def test_only_editors_change_things_and_the_refusal_says_who(store, text):
    before = snapshot(store)
    out = do(store, text, asker("U0STRANGER"))
    assert "Only the editors can change brs: @U0EDITOR, @U0OTHER" in out
    assert "BRS_EDITORS" in out
    assert snapshot(store) == before


def test_with_brs_editors_unset_nobody_in_slack_may_and_the_refusal_says_how(store):
    out = do(store, "update S17 x", asker(settings=Settings()))
    assert "set BRS_EDITORS to the Slack user IDs" in out
    console = asker("console", Settings(), console=True)
    assert "Added to S17" in do(store, "update S17 from the console", console)
    assert store.last_change("S17").user == "console"


# --- edit in the console ----------------------------------------------------------------------


def test_edit_builds_the_form_and_the_console_says_how_to_edit_there(store):
    reply = apply(store, parse("edit", "S17"), asker())
    assert isinstance(reply, OpenModal)
    assert reply.view["type"] == "modal" and reply.view["callback_id"] == "brs_edit"
    assert "/brs update S17 <text>" in blocks_to_text(reply.blocks)


# --- undo -----------------------------------------------------------------------------------


def test_undo_reverts_an_update_as_a_new_record_and_redo_puts_it_back(store):
    before = store.activity("S17").rows[0].status
    do(store, "update S17 Oops")
    count = store.history_count("S17")

    out = do(store, "undo S17", asker(OTHER))
    assert store.activity("S17").rows[0].status == before
    assert store.history_count("S17") == count + 1
    assert store.last_change("S17").user == OTHER
    assert "Undid the change @U0EDITOR made to S17 on 27 November 2026 10:32 UTC" in out
    assert "Status of implementation: “27 November 2026 (jane.doe): Oops” is gone" in out

    do(store, "redo S17")
    assert store.activity("S17").rows[0].status[-1].endswith("Oops")


def test_undo_reverts_a_whole_set(store):
    row = store.activity("S8").rows[0]
    do(store, "set S8 funding fully")
    do(store, "undo S8")
    assert store.activity("S8").rows[0] == row


def test_undo_reverts_deadline_changes(store):
    dl = store.deadline("S17-2")
    mark_done(store, dl, EDITOR, NOW)
    out = do(store, "undo S17")
    assert store.deadline("S17-2") == dl
    assert "Deadline S17-2 is open again" in out

    store.commit(EDITOR, [("deadline:S17-2", "", deadline_to_dict(dl), None)])
    assert store.deadline("S17-2") is None
    do(store, "undo S17")
    assert store.deadline("S17-2") == dl


def test_undo_reverts_a_reimported_field(store):
    old = store.activity("S17").title
    store.commit("import", [("activity:S17", "title", old, "Review arrangements, revised")])
    out = do(store, "undo S17")
    assert store.activity("S17").title == old
    assert "Undid the change the import made to S17" in out
    assert "Title is “Review arrangements” again" in out


def test_undo_with_nothing_since_the_import_says_so(store):
    before = snapshot(store)
    assert "S1 has not changed since it was imported on 27 November 2026" in do(store, "undo S1")
    assert snapshot(store) == before


# --- describing records --------------------------------------------------------------------


def test_fields_have_human_labels():
    assert field_label("rows.0.status", 1) == "Status of implementation"
    assert field_label("rows.1.next_steps", 2) == "Next steps, request 2"
    assert field_label("rows.0.funding", 1) == "Funding status"
    assert field_label("title", 1) == "Title"


def test_records_read_as_what_changed(store):
    do(store, "update S17 One more")
    do(store, "set S8 funding fully")
    assert describe(store.last_change("S17"), 1).startswith("Status of implementation: + “27 Nov")
    funding = [r for r in store.history("S8") if r.field == "rows.0.funding"][-1]
    assert describe(funding, 1) == "Funding status: partly funded → fully funded"
    created = store.history("S8")[0]
    assert describe(created, 1).startswith("Activity created (imported): “Cooperation")


def test_a_stamped_line_re_imports_as_a_milestone_not_a_deadline(store):
    from store.report.deadlines import extract_deadlines

    do(store, "update S17 Responses received from 40 parties")
    mine = [d for d in extract_deadlines(store.activity("S17")) if d.on == TODAY]
    assert [(d.kind, d.done) for d in mine] == [("milestone", True)]


def test_an_activity_too_big_for_one_form_says_what_to_use(store):
    from store.model import activity_to_dict

    rows = activity_to_dict(store.activity("S17"))["rows"]
    store.commit(EDITOR, [("activity:S17", "rows", rows, rows * 11)])
    out = do(store, "edit S17")
    assert (
        "S17 has 11 requests; the form holds 10: use /brs update S17.N and /brs set S17.N." in out
    )
