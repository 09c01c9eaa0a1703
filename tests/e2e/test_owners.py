"""Owners over real signed HTTP: an editor names one with a Slack mention; the owner changes
their own activity (command, reminder button, form) and is refused on another's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.compose import compose
from bot.settings import check_for_serve, from_env
from bot.slack.app import create_app, web_client
from bot.slack.health import Health
from bot.slack.serve import EVENTS_PATH, wsgi_app
from jobs.schedule import items_for
from store.bootstrap import open_store
from tests.e2e.conftest import NOW, Running, Server, env_for
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SECRET, Slack
from tests.e2e.test_reminders import click, responses
from tests.e2e.test_updates import open_form, shown, submit

EDITOR, JANE = "U0EDITOR", "U0JANE"
# What Slack sends for "/brs owner S17 @jane" once the command escapes its text.
NAME_JANE = "owner S17 <@U0JANE|jane>"


@pytest.fixture(scope="module")
def owned(fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    db = tmp_path_factory.mktemp("brs-owners") / "brs.json"
    settings = from_env({**env_for(fake_slack, str(db)), "BRS_EDITORS": EDITOR})
    check_for_serve(settings)
    clock = lambda: NOW  # noqa: E731 - the clock stands still
    with open_store(settings.db_path, clock=clock) as store:
        app = create_app(settings, store=store, clock=clock, client=web_client(settings))
        server = Server(wsgi_app(app, Health(store, settings.db_path, clock=clock)))
        editor = Slack(server.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET)
        assert "S17 is now owned by @U0JANE" in shown(editor.command(NAME_JANE, user=EDITOR))
        yield Running(server.url, app, settings, store)
        server.stop()


@pytest.fixture
def slack(owned: Running, fake_slack: FakeSlack) -> Slack:
    fake_slack.reset()
    return Slack(owned.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET)


def test_only_an_editor_names_owners_and_the_card_shows_them(slack: Slack, owned: Running):
    refused = shown(slack.command("owner S8 <@U0JANE|jane>", user=JANE))
    assert refused.startswith("Only the editors can change brs: @U0EDITOR")
    assert "S8 has no owners yet" in shown(slack.command("owner S8", user=JANE))
    assert "owners: @U0JANE" in shown(slack.command("S17", user="U0ANYONE"))


def test_the_owner_updates_their_activity_as_typed_and_is_refused_on_another(
    slack: Slack, owned: Running
) -> None:
    answer = slack.command(
        "update S17 see <#C0GEN|general> and <https://brs.int/r|the report>", user=JANE
    )
    assert "Added to S17" in shown(answer)
    assert (
        owned.store.activity("S17")
        .rows[0]
        .status[-1]
        .endswith("(asker): see #general and the report (https://brs.int/r)")
    )

    before = owned.store.activities()
    refused = shown(slack.command("update S8 Not mine", user=JANE))
    assert refused.startswith("Only the editors can change brs: @U0EDITOR")
    assert owned.store.activities() == before


def _reminder(owned: Running, deadline_id: str) -> dict:
    """A reminder message as the scheduler would have posted it to the channel."""
    store = owned.store
    dl = store.deadline(deadline_id)
    item = items_for(dl, dl.resolved(store.events()), owned.settings)[-2]  # on the day
    message = compose(store, item, NOW.date(), False)
    return {
        "type": "message",
        "ts": "1700000000.000100",
        "text": message.text,
        "blocks": message.blocks,
    }


def test_the_owners_done_button_works_on_their_deadline_only(slack: Slack, owned: Running):
    url = click(slack, _reminder(owned, "S9-1"), "reminder_done", JANE)
    [refusal] = responses(slack.fake, url)
    assert "Only the editors can change brs" in refusal["text"]
    assert owned.store.deadline("S9-1").is_open

    click(slack, _reminder(owned, "S17-2"), "reminder_done", JANE)
    slack.fake.wait_for("chat.update")
    dl = owned.store.deadline("S17-2")
    assert (dl.done, dl.done_by) == (True, JANE)


def test_the_owner_saves_the_form_of_their_activity(slack: Slack, owned: Running):
    view = open_form(slack, "S17", user=JANE)
    ack = submit(slack, view, JANE, r0_next_steps="Send reminders to parties")
    assert ack.status == 200
    assert owned.store.activity("S17").rows[0].next_steps == ("Send reminders to parties",)
    assert owned.store.history("S17")[-1].user == JANE

    other = open_form(slack, "S8", user=EDITOR)  # an editor's form, submitted by Jane
    answer = submit(slack, other, JANE, r0_next_steps="Not mine").json()
    assert answer["response_action"] == "update" and "Not saved" in str(answer["view"])
    assert owned.store.activity("S8").rows[0].next_steps != ("Not mine",)
