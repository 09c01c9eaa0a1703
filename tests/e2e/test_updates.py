"""Editing over real signed HTTP: update, set, undo, history, and the `/brs edit` form end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.render.text import blocks_to_text
from bot.settings import check_for_serve, from_env
from bot.slack.app import create_app, web_client
from bot.slack.health import Health
from bot.slack.serve import CHECKPOINT_EVERY, EVENTS_PATH, wsgi_app
from store.bootstrap import open_store
from tests.bot.slack_limits import problems
from tests.e2e.conftest import NOW, Running, Server, env_for
from tests.e2e.fake_slack import TEAM, FakeSlack
from tests.e2e.slack_requests import SECRET, Answer, Slack

EDITOR = "U0EDITOR"
OTHER = "U0OTHER"
STRANGER = "U0STRANGER"
NASTY = "<!channel> <!here> <@U0777> <https://evil.example|your bank> a & b"
# What Slack sends for it: &, < and > in command text arrive as entities.
NASTY_SENT = NASTY.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.fixture(scope="module")
def editing(fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The app as `brs serve` builds it, with two editors, on its own store."""
    db = tmp_path_factory.mktemp("brs-edit") / "brs.json"
    settings = from_env({**env_for(fake_slack, str(db)), "BRS_EDITORS": f"{EDITOR},{OTHER}"})
    check_for_serve(settings)
    clock = lambda: NOW  # noqa: E731 - the clock stands still
    with open_store(settings.db_path, clock=clock, checkpoint_every=CHECKPOINT_EVERY) as store:
        app = create_app(settings, store=store, clock=clock, client=web_client(settings))
        server = Server(wsgi_app(app, Health(store, settings.db_path, clock=clock)))
        yield Running(server.url, app, settings, store)
        server.stop()


@pytest.fixture
def slack(editing: Running, fake_slack: FakeSlack) -> Slack:
    fake_slack.reset()
    return Slack(editing.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET)


def shown(answer: Answer) -> str:
    reply = answer.json()
    assert problems(reply["blocks"], reply["text"]) == []  # within limits, nothing pings
    return blocks_to_text(reply["blocks"])


def submit(slack: Slack, view: dict, user: str, **typed: str) -> Answer:
    """Press Save on `view` (as views.open got it), with some inputs typed over."""
    typed = {k.replace("_", ".", 1): v for k, v in typed.items()}
    values: dict[str, Any] = {}
    for b in view["blocks"]:
        if b["type"] != "input":
            continue
        el, bid = b["element"], b["block_id"]
        if el["type"] == "static_select":
            option = {"value": typed.get(bid, el["initial_option"]["value"])}
            values[bid] = {"v": {"type": "static_select", "selected_option": option}}
        else:
            value = typed.get(bid, el.get("initial_value"))
            values[bid] = {"v": {"type": "plain_text_input", "value": value or None}}
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": "someone", "name": "someone", "team_id": TEAM},
        "api_app_id": "A0BRS",
        "token": "legacy-unused",
        "trigger_id": "9.trigger",
        "view": {**view, "id": "V0FAKE", "team_id": TEAM, "state": {"values": values}},
        "response_urls": [],
        "is_enterprise_install": False,
    }
    body = urlencode({"payload": json.dumps(payload)})
    return slack.post(body, "application/x-www-form-urlencoded")


def open_form(slack: Slack, code: str, user: str = EDITOR) -> dict:
    opened = len(slack.fake.calls("views.open"))
    answer = slack.command(f"edit {code}", user=user)
    assert answer.status == 200 and answer.body == b""  # the ack says nothing: the form opens
    call = slack.fake.wait_for("views.open", count=opened + 1)[-1]
    assert call.body["trigger_id"].endswith(".trigger")
    return call.body["view"]


# --- commands ------------------------------------------------------------------------------


def test_an_editor_updates_and_everyone_sees_it_on_the_card(slack: Slack, editing: Running):
    answer = slack.command("update S17 Responses received from 40 parties", user=EDITOR)

    assert answer.status == 200
    assert answer.json()["response_type"] == "ephemeral"
    line = "20 August 2012 (asker): Responses received from 40 parties"  # signed as user_name
    assert line in shown(answer)
    assert editing.store.activity("S17").rows[0].status[-1] == line
    card = shown(slack.command("S17", user=STRANGER))
    assert line in card and "last change: @U0EDITOR, 20 August 2012 07:00 UTC" in card


def test_someone_not_in_brs_editors_is_refused_and_nothing_changes(slack, editing):
    before = editing.store.activities(), editing.store.history_count("S8")
    for text in ("update S8 hello", "set S8 funding fully", "undo S8"):
        out = shown(slack.command(text, user=STRANGER))
        assert "Only the editors can change brs: @U0EDITOR, @U0OTHER" in out
        assert "BRS_EDITORS" in out
    assert (editing.store.activities(), editing.store.history_count("S8")) == before
    slack.command("edit S8", user=STRANGER)
    assert slack.fake.calls("views.open") == []


def test_text_typed_in_slack_is_stored_as_typed_and_shown_inert(slack, editing):
    slack.command(f"update S16 {NASTY_SENT}", user=EDITOR)

    assert editing.store.activity("S16").rows[0].status[-1].endswith(f"(asker): {NASTY}")
    for query in ("S16", "history S16", "search evil", "list"):
        shown(slack.command(query, user=STRANGER))  # problems() finds any live <, >, &
    assert NASTY in shown(slack.command("S16"))  # and people read what was typed


def test_set_undo_and_history(slack, editing):
    out = shown(slack.command("set S9 funding partly Half received", user=EDITOR))
    assert "S9 is now partly funded (was not yet funded)" in out
    assert editing.store.activity("S9").rows[0].funding_lines == (
        "Yes",
        "Partly funded: Half received",
    )

    history = shown(slack.command("history S9", user=STRANGER))
    assert "20 August 2012 07:00 UTC · @U0EDITOR" in history
    assert "not yet funded → partly funded" in history

    out = shown(slack.command("undo S9", user=OTHER))
    assert "Undid the change @U0EDITOR made to S9" in out
    assert editing.store.activity("S9").rows[0].funding.status == "not_yet"
    assert editing.store.last_change("S9").user == OTHER


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("update S99 hello", 'No activity "S99". Valid codes: S1, S2'),
        ("update S17", '"update S17" needs the text to add'),
        ("set S17 colour red", 'Unknown field "colour"'),
        ("set S17 funding maybe", 'Unknown funding status "maybe"'),
        ("update S17 " + "x" * 3001, "A status line holds at most 3,000 characters"),
    ],
)
def test_bad_input_gets_one_clear_line_and_changes_nothing(slack, editing, text, message):
    count = editing.store.history_count("S17")
    out = shown(slack.command(text, user=EDITOR))
    assert message in out
    assert editing.store.history_count("S17") == count


# --- the form ------------------------------------------------------------------------------


def test_edit_opens_the_form_and_saving_it_commits(slack, editing):
    view = open_form(slack, "S15")
    assert view["callback_id"] == "brs_edit"

    answer = submit(slack, view, EDITOR, r0_next_steps="Convene the meeting\nReport back")

    assert answer.status == 200
    ack = answer.json()
    assert ack["response_action"] == "update"
    assert "Saved 1 change to S15" in blocks_to_text(ack["view"]["blocks"])
    assert editing.store.activity("S15").rows[0].next_steps == (
        "Convene the meeting",
        "Report back",
    )


def test_bad_form_input_gets_inline_errors_by_block(slack, editing):
    before = editing.store.activity("S13")
    view = open_form(slack, "S13")

    ack = submit(slack, view, EDITOR, r0_fstatus="fully", r0_flines="Yes\nPartly funded.").json()

    assert ack["response_action"] == "errors"
    assert list(ack["errors"]) == ["r0.flines"]
    assert editing.store.activity("S13") == before


def test_a_stale_form_is_told_what_changed_instead_of_overwriting(slack, editing):
    first, second = open_form(slack, "S14"), open_form(slack, "S14", user=OTHER)
    assert submit(slack, second, OTHER, r0_status="Theirs").json()["response_action"] == "update"

    ack = submit(slack, first, EDITOR, r0_status="Mine").json()

    assert editing.store.activity("S14").rows[0].status == ("Theirs",)
    text = blocks_to_text(ack["view"]["blocks"])
    assert "While you were editing, someone saved changes to S14" in text
    assert "Status of implementation — @U0OTHER" in text


def test_a_submission_from_someone_no_longer_an_editor_saves_nothing(slack, editing):
    view = open_form(slack, "S12")
    before = editing.store.activity("S12")
    ack = submit(slack, view, STRANGER, r0_status="Sneaky").json()
    assert ack["response_action"] == "update"
    assert "Only the editors can change brs" in blocks_to_text(ack["view"]["blocks"])
    assert editing.store.activity("S12") == before


def test_a_form_slack_will_not_open_is_said_to_the_asker(slack, editing):
    slack.fake.fail("views.open", 500, times=3)  # the first try and both retries
    assert slack.command("edit S11", user=EDITOR).status == 200
    said = slack.fake.wait_for("response")
    assert said and "Slack would not open the form" in said[-1].body["text"]
