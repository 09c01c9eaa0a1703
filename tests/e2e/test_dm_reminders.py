"""Reminders by DM over signed HTTP against the fake Slack: owners named and followers following
by `/brs`, the channel's reminder mentioning the owner, one DM each (conversations.open), once
through lost answers and restarts, the buttons working in the DM, opt-out, the digest's part."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.compose import compose
from bot.slack.app import create_app, web_client
from bot.slack.health import Health
from bot.slack.outbox import SlackOutbox
from bot.slack.serve import EVENTS_PATH, wsgi_app
from jobs.clock import SimClock
from jobs.reminders import Reminders
from store.bootstrap import open_store
from tests.bot.slack_limits import problems
from tests.e2e.conftest import Server
from tests.e2e.fake_slack import FakeSlack, dm_channel
from tests.e2e.slack_requests import SECRET, Slack
from tests.e2e.test_reminders import EDITOR, REMIND, TZ, click, real_clock, settings_for

JANE, OMAR = "U0JANE", "U0OMAR"


@dataclass
class World:
    slack: Slack
    fake: FakeSlack
    store: Any
    clock: SimClock
    settings: Any
    app: Any

    def reminders(self) -> Reminders:
        """A scheduler's reminder run as `brs serve` builds one (again after a restart)."""
        r = Reminders(
            self.store, self.settings, SlackOutbox(self.app.client), self.clock, compose=compose
        )
        r.start()
        return r

    def say(self, text: str, user: str) -> str:
        return str(self.slack.command(text, user=user).json()["text"])


@pytest.fixture
def world(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[World]:
    """The app on 30 August 2012 at 08:59; S17 owned by Jane and followed by Omar via /brs."""
    fake_slack.reset()
    clock = SimClock(datetime(2012, 8, 30, 8, 59, tzinfo=TZ))
    settings = settings_for(fake_slack, tmp_path / "brs.json", BRS_LEAD_DAYS="1,0")
    with open_store(settings.db_path, clock=clock) as store:
        app = create_app(settings, store=store, clock=clock, client=web_client(settings))
        server = Server(wsgi_app(app, Health(store, settings.db_path, clock=real_clock)))
        try:
            w = World(
                Slack(server.url.rstrip("/") + EVENTS_PATH, fake_slack, SECRET),
                fake_slack,
                store,
                clock,
                settings,
                app,
            )
            assert "now owned by" in w.say(f"owner S17 <@{JANE}|jane>", EDITOR)
            assert "You now follow S17" in w.say("follow S17", OMAR)
            yield w
        finally:
            server.stop()


def keyed(messages: list[dict], key: str) -> list[dict]:
    return [
        m for m in messages if (m.get("metadata") or {}).get("event_payload", {}).get("key") == key
    ]


def test_the_channel_mentions_the_owner_and_owner_and_follower_get_one_dm_each(world) -> None:
    reminders = world.reminders()
    world.clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
    reminders.run()

    [channel] = keyed(world.fake.messages(REMIND), "S17-2|1")
    assert f"<@{JANE}>" in json.dumps(channel["blocks"]) and f"<@{JANE}>" in channel["text"]
    opened = sorted(c.body["users"] for c in world.fake.calls("conversations.open"))
    assert set(opened) == {JANE, OMAR}
    for user, why in ((JANE, "as an owner of *S17*"), (OMAR, "because you follow *S17*")):
        [dm] = keyed(world.fake.messages(dm_channel(user)), f"S17-2|1|dm:{user}")
        assert why in json.dumps(dm["blocks"])
        assert problems(dm["blocks"], dm["text"]) == []
        assert [b for b in dm["blocks"] if b["type"] == "actions"]
    # S9-1 is due too but has no owner or follower: channel only.
    assert keyed(world.fake.messages(REMIND), "S9-1|1")
    assert not [
        m for u in (JANE, OMAR) for m in keyed(world.fake.messages(dm_channel(u)), "S9-1|1")
    ]

    # A restart posts nothing again.
    world.clock.set(datetime(2012, 8, 30, 10, 0, tzinfo=TZ))
    before = len(world.fake.calls("chat.postMessage"))
    assert world.reminders().run().posted == ()
    assert len(world.fake.calls("chat.postMessage")) == before


def test_lost_answers_to_the_dms_post_each_once(world) -> None:
    reminders = world.reminders()
    # Every post lands but its answer is lost (the connection closes): each is looked for in
    # its DM (or the channel) and found, never posted twice.
    world.fake.lose_answer("chat.postMessage", 4)
    world.clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
    run = reminders.run()
    assert sorted(p.item.key for p in run.posted) == sorted(
        ["S17-2|1", "S9-1|1", f"S17-2|1|dm:{JANE}", f"S17-2|1|dm:{OMAR}"]
    )
    for user in (JANE, OMAR):
        assert len(keyed(world.fake.messages(dm_channel(user)), f"S17-2|1|dm:{user}")) == 1
        looked = [
            c
            for c in world.fake.calls("conversations.history")
            if c.body["channel"] == dm_channel(user)
        ]
        assert looked
    assert len(keyed(world.fake.messages(REMIND), "S17-2|1")) == 1


def test_a_crash_after_the_dm_landed_is_repaired_by_looking_in_the_dm(world) -> None:
    world.reminders()  # the first start: nothing from before
    # What a kill -9 after Slack's ok to Jane's DM leaves: "sending", and the DM in Slack.
    key = f"S17-2|1|dm:{JANE}"
    world.store.put_reminder_entries(
        {
            key: {
                "on": "2012-08-31",
                "state": "sending",
                "channel": JANE,
                "since": "2012-08-30T09:00:00+02:00",
                "attempts": 1,
            }
        }
    )
    metadata = {"event_type": "brs_reminder", "event_payload": {"key": key, "on": "2012-08-31"}}
    ts = world.fake.add_message(dm_channel(JANE), {"text": "S17-2 due", "metadata": metadata})
    world.clock.set(datetime(2012, 8, 30, 9, 0, 3, tzinfo=TZ))

    run = world.reminders().run()  # after the restart

    assert {p.item.key: p.found for p in run.posted}[key] is True
    assert len(keyed(world.fake.messages(dm_channel(JANE)), key)) == 1
    assert world.store.reminder_entries()[key]["ts"] == ts
    assert len(keyed(world.fake.messages(dm_channel(OMAR)), f"S17-2|1|dm:{OMAR}")) == 1


def test_dm_off_stops_ones_dms_and_unfollow_the_followers(world) -> None:
    assert "Reminders by DM are off" in world.say("dm off", JANE)
    assert "no longer follow S17" in world.say("unfollow S17", OMAR)
    assert "You follow nothing yet" in world.say("following", OMAR)
    reminders = world.reminders()
    world.clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
    reminders.run()
    assert world.fake.calls("conversations.open") == []
    assert keyed(world.fake.messages(REMIND), "S17-2|1")  # the channel still has it

    assert "on again" in world.say("dm on", JANE)
    world.clock.set(datetime(2012, 8, 31, 9, 0, tzinfo=TZ))
    reminders.run()
    assert len(keyed(world.fake.messages(dm_channel(JANE)), f"S17-2|0|dm:{JANE}")) == 1


def click_in_dm(slack: Slack, user: str, message: dict, action_id: str) -> str:
    """Press a button on a reminder in `user`'s DM with the bot, as Slack sends it."""
    return click(slack, message, action_id, user, (dm_channel(user), "directmessage"))


def test_done_pressed_by_the_owner_in_their_dm_marks_it_and_updates_the_dm(world) -> None:
    reminders = world.reminders()
    world.clock.set(datetime(2012, 8, 30, 9, 0, tzinfo=TZ))
    reminders.run()
    [dm] = keyed(world.fake.messages(dm_channel(JANE)), f"S17-2|1|dm:{JANE}")

    click_in_dm(world.slack, JANE, dm, "reminder_done")  # Jane owns S17: no editor needed

    [update] = world.fake.wait_for("chat.update")
    assert update.body["channel"] == dm_channel(JANE) and update.body["ts"] == dm["ts"]
    assert world.store.deadline("S17-2").done_by == JANE
    [now] = keyed(world.fake.messages(dm_channel(JANE)), f"S17-2|1|dm:{JANE}")
    assert not [b for b in now["blocks"] if b["type"] == "actions"]


def test_the_monday_digest_goes_to_the_channel_and_each_their_part(world) -> None:
    reminders = world.reminders()
    world.clock.set(datetime(2012, 9, 3, 9, 0, tzinfo=TZ))  # a Monday
    reminders.run()
    [channel] = keyed(world.fake.messages(REMIND), "digest")
    for user in (JANE, OMAR):
        [mine] = keyed(world.fake.messages(dm_channel(user)), f"digest|dm:{user}")
        text = json.dumps(mine["blocks"])
        assert "Your weekly digest" in text and "S17" in text
        assert "S9" not in text  # neither owns nor follows S9
        assert problems(mine["blocks"], mine["text"]) == []
    assert "S9" in json.dumps(channel["blocks"])
    world.clock.set(datetime(2012, 9, 3, 12, 0, tzinfo=TZ))
    world.reminders().run()
    assert len(keyed(world.fake.messages(dm_channel(JANE)), f"digest|dm:{JANE}")) == 1
