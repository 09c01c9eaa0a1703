"""App Home over real signed HTTP: the dashboard on opening, its buttons, refreshed on changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from bot.render.form import CALLBACK_ID
from bot.render.home import DETAILS, EDIT, PAGE
from bot.render.text import blocks_to_text
from bot.slack.serve import EVENTS_PATH
from tests.bot.slack_limits import view_problems
from tests.e2e.conftest import Running, serving
from tests.e2e.fake_slack import TEAM, FakeSlack
from tests.e2e.slack_requests import SECRET, Answer, Slack

EDITOR = "U0EDITOR"
READER = "U0READER"


@pytest.fixture(scope="module")
def homely(fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The app as `brs serve` builds it, with one editor, on its own store."""
    db = tmp_path_factory.mktemp("brs-home") / "brs.json"
    with serving(fake_slack, db, BRS_EDITORS=EDITOR) as app:
        yield app


@pytest.fixture
def slack(homely: Running, fake_slack: FakeSlack) -> Slack:
    fake_slack.reset()
    return Slack(homely.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET)


def open_home(slack: Slack, user: str) -> dict:
    """Open the Home tab as `user`; returns the view published for them."""
    before = len(slack.fake.calls("views.publish"))
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
    assert slack.event({**event, "event_ts": "1700000000.000100"}).status == 200
    call = slack.fake.wait_for("views.publish", count=before + 1)[-1]
    assert call.body["user_id"] == user
    return call.body["view"]


def click(slack: Slack, user: str, action_id: str, value: str) -> Answer:
    """A button on the Home tab: no channel and no response_url, a trigger_id for modals."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "team_id": TEAM},
        "api_app_id": "A0BRS",
        "token": "legacy-unused",
        "container": {"type": "view", "view_id": "V0HOME"},
        "trigger_id": "7.trigger",
        "team": {"id": TEAM, "domain": "fake"},
        "view": {"id": "V0HOME", "type": "home", "blocks": [], "private_metadata": "0"},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "x"},
                "value": value,
                "action_ts": "1700000001.000001",
            }
        ],
    }
    return slack.post(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )


def buttons(view: dict) -> list[dict]:
    found = []
    for b in view["blocks"]:
        found += [b["accessory"]] if "accessory" in b else []
        found += b.get("elements", []) if b["type"] == "actions" else []
    return found


def test_an_editor_sees_the_dashboard_with_edit_buttons(slack: Slack) -> None:
    view = open_home(slack, EDITOR)

    assert view["type"] == "home" and view_problems(view) == []
    text = blocks_to_text(view["blocks"])
    assert "6 not yet funded" in text and "Overdue (1)" in text and "Next deadlines (9)" in text
    assert "S17 Review arrangements" in text
    ids = [b["action_id"] for b in buttons(view)]
    assert ids.count(DETAILS) == 17 and f"{EDIT}:S17" in ids


def test_everyone_else_sees_details_but_no_edit(slack: Slack) -> None:
    view = open_home(slack, READER)

    assert view_problems(view) == []
    ids = [b["action_id"] for b in buttons(view)]
    assert ids.count(DETAILS) == 17 and not [i for i in ids if i.startswith(EDIT)]


def test_details_opens_the_compact_card_in_a_modal(slack: Slack) -> None:
    assert click(slack, READER, DETAILS, "S17").status == 200

    (call,) = slack.fake.wait_for("views.open")
    assert call.body["trigger_id"] == "7.trigger"
    modal = call.body["view"]
    assert modal["type"] == "modal" and view_problems(modal) == []
    text = blocks_to_text(modal["blocks"])
    assert "S17 · Review arrangements" in text and "Next deadline: S17-" in text
    assert '"action_id": "card_full"' in json.dumps(modal)  # pushes the whole card on top
    assert "Share in channel" not in json.dumps(modal)  # no channel to share in from Home


def test_edit_opens_the_form_for_an_editor_and_a_refusal_for_anyone_else(slack: Slack) -> None:
    click(slack, EDITOR, f"{EDIT}:S8", "S8")
    (form,) = slack.fake.wait_for("views.open")
    assert form.body["view"]["callback_id"] == CALLBACK_ID
    assert json.loads(form.body["view"]["private_metadata"])["code"] == "S8"

    click(slack, READER, f"{EDIT}:S8", "S8")
    refusal = slack.fake.wait_for("views.open", count=2)[-1].body["view"]
    assert refusal["callback_id"] != CALLBACK_ID
    assert "BRS_EDITORS" in blocks_to_text(refusal["blocks"])


def test_a_page_button_republishes_that_page(slack: Slack) -> None:
    open_home(slack, READER)

    assert click(slack, READER, f"{PAGE}:next", "1").status == 200

    call = slack.fake.wait_for("views.publish", count=2)[-1]
    assert call.body["user_id"] == READER
    assert call.body["view"]["private_metadata"] == "0"  # one page only: clamped to it


def test_a_change_republishes_home_for_those_who_opened_it(slack: Slack, homely: Running) -> None:
    open_home(slack, EDITOR)
    open_home(slack, READER)
    published = len(slack.fake.calls("views.publish"))

    answer = slack.command("deadline done S17-2", user=EDITOR)

    assert answer.status == 200
    calls = slack.fake.wait_for("views.publish", count=published + 2)[published:]
    assert {c.body["user_id"] for c in calls} >= {EDITOR, READER}
    assert homely.store.deadline("S17-2").done
    assert "S17-2" not in blocks_to_text(calls[-1].body["view"]["blocks"])
