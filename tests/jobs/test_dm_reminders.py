"""Reminders by DM to owners and followers: one ledger entry per recipient, each posted once."""

from __future__ import annotations

from bot.compose import compose
from jobs.outbox import DeliveryError, Message
from jobs.reminders import Reminders
from jobs.schedule import DIGEST
from store.repository import Store
from tests.jobs.conftest import CHANNEL, SETTINGS, FakeOutbox, at, drive

JANE, OMAR, ED = "U0JANE", "U0OMAR", "U0ED"


def own_and_follow(store: Store) -> None:
    store.set_setting("owners:S17", [JANE], ED)
    store.set_setting("followers:S17", [OMAR], OMAR)
    store.set_setting(f"follows:{OMAR}", ["S17"], OMAR)


def posts_of(outbox: FakeOutbox, key: str) -> list[str]:
    return [p.channel for p in outbox.posts if p.message.key[1].startswith(key)]


def test_a_reminder_mentions_owners_in_the_channel_and_reaches_owner_and_follower_by_dm(
    store, reminders, clock, outbox
):
    own_and_follow(store)
    drive(reminders, clock, at(2012, 10, 22, 9, 0))

    seven = [p for p in outbox.posts if p.message.key[1].startswith("S17-2|7")]
    assert sorted(p.channel for p in seven) == sorted([CHANNEL, JANE, OMAR])
    channel = next(p for p in seven if p.channel == CHANNEL).message
    assert f"<@{JANE}>" in str(channel.blocks) and f"<@{JANE}>" in channel.text
    dm = next(p for p in seven if p.channel == JANE).message
    assert "as an owner of *S17*" in str(dm.blocks)
    assert "follow *S17*" in str(next(p for p in seven if p.channel == OMAR).message.blocks)
    assert [b for b in dm.blocks if b["type"] == "actions"]  # Done / Snooze / Details there too
    entries = store.reminder_entries()
    for key in ("S17-2|7", f"S17-2|7|dm:{JANE}", f"S17-2|7|dm:{OMAR}"):
        assert entries[key]["state"] == "sent"
    # Every (reminder, recipient) once, over the whole run.
    keys = [(p.channel, *p.message.key) for p in outbox.posts]
    assert len(keys) == len(set(keys))


def test_a_dm_whose_answer_was_lost_is_found_after_a_restart_not_posted_again(store, clock, outbox):
    own_and_follow(store)

    class LosesJanes(FakeOutbox):
        def post(self, channel: str, message: Message) -> str:
            ts = super().post(channel, message)
            if channel == JANE and message.key[1] == f"S17-2|7|dm:{JANE}":
                raise DeliveryError("Slack could not be reached (connection reset)")
            return ts

    lossy = LosesJanes(clock)
    first = Reminders(store, SETTINGS, lossy, clock, compose=compose)
    first.start()
    drive(first, clock, at(2012, 10, 22, 9, 0))
    assert store.reminder_entries()[f"S17-2|7|dm:{JANE}"]["state"] == "sending"

    # A restart: a new run on the same store and the same Slack.
    again = Reminders(store, SETTINGS, outbox, clock, compose=compose)
    outbox.posts = list(lossy.posts)
    again.start()
    before = len(outbox.posts)
    clock.set(at(2012, 10, 22, 10, 0))
    run = again.run()
    assert [p.item.key for p in run.posted] == [f"S17-2|7|dm:{JANE}"] and run.posted[0].found
    assert len(outbox.posts) == before
    assert store.reminder_entries()[f"S17-2|7|dm:{JANE}"]["state"] == "sent"
    assert posts_of(outbox, f"S17-2|7|dm:{JANE}") == [JANE]


def test_dm_off_stops_the_dms_and_keeps_the_channel(store, reminders, clock, outbox):
    own_and_follow(store)
    store.set_setting(f"dm_off:{JANE}", True, JANE)
    drive(reminders, clock, at(2012, 10, 22, 9, 0))
    assert JANE not in {p.channel for p in outbox.posts}
    assert sorted(posts_of(outbox, "S17-2|7")) == sorted([CHANNEL, OMAR])


def test_the_digest_goes_to_the_channel_and_each_person_gets_their_part(
    store, reminders, clock, outbox
):
    store.set_setting("owners:S1", [JANE], ED)
    drive(reminders, clock, at(2012, 9, 10, 9, 0))  # a Monday
    digests = [p for p in outbox.posts if p.message.key[1].split("|")[0] == DIGEST]
    mondays = {p.message.key[2] for p in digests}
    assert len(digests) == 2 * len(mondays)  # the channel's and Jane's, each Monday once
    mine = [p for p in digests if p.channel == JANE][-1].message
    theirs = [p for p in digests if p.channel == CHANNEL][-1].message
    assert "Your weekly digest" in str(mine.blocks)
    assert "S1-1" in str(mine.blocks) and "S17" not in str(mine.blocks)
    assert "S17" in str(theirs.blocks)
