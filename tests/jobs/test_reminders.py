"""Reminders on a simulated clock with a real store: on time, once, caught up, never lost."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.compose import compose
from jobs.clock import SimClock
from jobs.reminders import CHANNEL_SETTING, Reminders
from jobs.schedule import ALL_DAYS, DIGEST
from store.bootstrap import open_store
from store.model import deadline_to_dict
from store.repository import Store
from tests.jobs.conftest import CHANNEL, DST_END, SETTINGS, TZ, FakeOutbox, at, drive


def reminder_times(outbox: FakeOutbox, deadline_id: str) -> list[tuple[str, datetime]]:
    return [
        (p.message.key[1], p.at)
        for p in outbox.posts
        if p.message.key[1].startswith(deadline_id + "|")
    ]


def just_before(reminders: Reminders, clock: SimClock, outbox: FakeOutbox, day: int = 28) -> None:
    """Run up to 08:00 on `day` October 2012, an hour before one of S17-2's reminders.

    On Sunday 28 October (the 1-day reminder) no digest is due alongside.
    """
    drive(reminders, clock, at(2012, 10, day, 8, 0))
    outbox.posts.clear()


def test_each_lead_fires_once_at_nine_local_time_across_the_dst_change(reminders, clock, outbox):
    drive(reminders, clock, at(2012, 11, 5))

    assert reminder_times(outbox, "S17-2") == [
        ("S17-2|30", at(2012, 9, 29, 9)),
        ("S17-2|14", at(2012, 10, 15, 9)),
        ("S17-2|7", at(2012, 10, 22, 9)),
        ("S17-2|1", at(DST_END.year, DST_END.month, DST_END.day, 9)),
        ("S17-2|0", at(2012, 10, 29, 9)),
        ("S17-2|overdue", at(2012, 10, 30, 9)),
    ]
    utc_hours = [t.astimezone(UTC).hour for _, t in reminder_times(outbox, "S17-2")]
    assert utc_hours == [7, 7, 7, 8, 8, 8]
    reminders_posted = [k for k in outbox.posted() if k != DIGEST]
    assert len(reminders_posted) == len(set(reminders_posted))
    assert {p.channel for p in outbox.posts} == {CHANNEL}


def test_runs_at_any_other_moment_post_nothing(reminders, clock, outbox):
    drive(reminders, clock, at(2012, 10, 22, 9, 0))
    count = len(outbox.posts)
    for minutes in (0, 1, 59, 60 * 5, 60 * 23):
        clock.set(max(clock(), at(2012, 10, 22, 9, 0) + timedelta(minutes=minutes)))
        assert reminders.run().posted == ()
    assert len(outbox.posts) == count


def test_a_reminder_names_the_activity_what_when_and_days_left_with_buttons(
    reminders, clock, outbox
):
    just_before(reminders, clock, outbox, day=22)
    clock.set(at(2012, 10, 22, 9, 0))
    [post] = [p for p in reminders.run().posted if p.item.key == "S17-2|7"]
    message = next(p.message for p in outbox.posts if p.ts == post.ts)
    text = str(message.blocks)

    assert "S17" in text and "Review arrangements" in text and "collect responses" in text
    assert "Monday 29 October 2012" in text and "in 7 days" in text
    actions = [b for b in message.blocks if b["type"] == "actions"][0]["elements"]
    assert [e["text"]["text"] for e in actions] == [
        "Done",
        "Snooze 1 day",
        "Snooze 1 week",
        "Details",
    ]
    assert [e["value"] for e in actions] == ["S17-2", "S17-2", "S17-2", "S17"]
    assert message.metadata == {
        "event_type": "brs_reminder",
        "event_payload": {"key": "S17-2|7", "on": "2012-10-29", "deadline": "S17-2"},
    }
    assert "Late" not in text


def test_done_stops_the_reminders(store, reminders, clock, outbox):
    drive(reminders, clock, at(2012, 10, 15, 9, 0))
    assert [k for k, _ in reminder_times(outbox, "S17-2")] == ["S17-2|30", "S17-2|14"]

    store.commit("U1", [("deadline:S17-2", "done", False, True)])
    drive(reminders, clock, at(2012, 11, 30))
    assert [k for k, _ in reminder_times(outbox, "S17-2")] == ["S17-2|30", "S17-2|14"]


def test_snooze_skips_reminders_until_its_day_then_the_next_one_comes(store, clock, outbox):
    from bot.settings import Settings

    settings = Settings(
        workdays=ALL_DAYS, tz=TZ, remind_at=SETTINGS.remind_at, lead_days=(7, 3, 1, 0)
    )
    reminders = Reminders(store, settings, outbox, clock, default_channel=CHANNEL, compose=compose)
    reminders.start()
    drive(reminders, clock, at(2012, 10, 22, 9, 0))
    assert [k for k, _ in reminder_times(outbox, "S17-2")] == ["S17-2|7"]

    reminders.ledger.snooze("S17-2", date(2012, 10, 29), "U1", clock())  # "1 week"
    drive(reminders, clock, at(2012, 11, 5))
    assert reminder_times(outbox, "S17-2") == [
        ("S17-2|7", at(2012, 10, 22, 9)),
        ("S17-2|0", at(2012, 10, 29, 9)),
        ("S17-2|overdue", at(2012, 10, 30, 9)),
    ]


def test_an_event_date_change_moves_relative_deadlines_and_their_reminders(
    store, reminders, clock, outbox
):
    # S17-4 is due 90 days before COP-2013 (28 April 2013): 28 January 2013.
    drive(reminders, clock, at(2012, 12, 29, 9, 0))
    assert reminder_times(outbox, "S17-4") == [("S17-4|30", at(2012, 12, 29, 9))]

    store.set_event("COP-2013", date(2013, 5, 8), "U1")  # ten days later: due 7 February
    drive(reminders, clock, at(2013, 2, 10))
    assert reminder_times(outbox, "S17-4") == [
        ("S17-4|30", at(2012, 12, 29, 9)),
        ("S17-4|30", at(2013, 1, 8, 9)),
        ("S17-4|14", at(2013, 1, 24, 9)),
        ("S17-4|7", at(2013, 1, 31, 9)),
        ("S17-4|1", at(2013, 2, 6, 9)),
        ("S17-4|0", at(2013, 2, 7, 9)),
        ("S17-4|overdue", at(2013, 2, 8, 9)),
    ]
    assert "Thursday 7 February 2013" in str(outbox.posts[-2].message.blocks)


def test_a_restart_in_the_middle_of_a_day_posts_nothing_twice(db, store, clock, outbox):
    reminders = Reminders(store, SETTINGS, outbox, clock, compose=compose)
    reminders.start()
    drive(reminders, clock, at(2012, 10, 22, 9, 0))
    before = list(outbox.posted())
    store.close()

    clock.set(at(2012, 10, 22, 13, 30))
    with Store.open(db, clock=clock) as again:
        restarted = Reminders(again, SETTINGS, outbox, clock, compose=compose)
        restarted.start()
        assert restarted.run().posted == ()
        clock.set(at(2012, 10, 22, 23, 59))
        assert restarted.run().posted == ()
    assert outbox.posted() == before


def test_ten_days_down_posts_only_the_latest_reminder_per_deadline_marked_late(
    db, store, clock, outbox
):
    reminders = Reminders(store, SETTINGS, outbox, clock, compose=compose)
    reminders.start()
    drive(reminders, clock, at(2012, 9, 3, 10, 0))  # then down from 3 to 13 September
    posted_before = len(outbox.posts)
    store.close()

    clock.set(at(2012, 9, 13, 10, 0))
    with Store.open(db, clock=clock) as again:
        restarted = Reminders(again, SETTINGS, outbox, clock, compose=compose)
        restarted.start()
        run = restarted.run()
    keys = [p.item.key for p in run.posted]
    # S1-1 (14 September): its 7-day reminder fell due on 7 September, its 1-day one today;
    # the digest of Monday 10 September is the latest of the digests missed.
    assert keys == ["S1-1|1", DIGEST]
    assert all(p.late for p in run.posted)
    assert [i.key for i in run.skipped] == ["S1-1|7"]
    text = str(outbox.posts[posted_before].message.blocks)
    assert "Posted late: this was due Thursday 13 September 2012 09:00 CEST." in text
    assert "tomorrow" in text


def test_downtime_across_a_deadline_posts_its_overdue_notice_once(db, store, clock, outbox):
    reminders = Reminders(store, SETTINGS, outbox, clock, compose=compose)
    reminders.start()
    drive(reminders, clock, at(2012, 10, 21, 12, 0))
    store.close()

    clock.set(at(2012, 10, 31, 12, 0))  # 7, 1, 0 and the overdue notice fell due meanwhile
    with Store.open(db, clock=clock) as again:
        restarted = Reminders(again, SETTINGS, outbox, clock, compose=compose)
        restarted.start()
        assert [p.item.key for p in restarted.run().posted if p.item.key != DIGEST] == [
            "S17-2|overdue"
        ]
        assert restarted.run().posted == ()
    assert reminder_times(outbox, "S17-2")[-1] == ("S17-2|overdue", at(2012, 10, 31, 12, 0))


def test_a_fresh_import_of_the_2012_report_in_2026_posts_nothing(tmp_path):
    clock = SimClock(datetime(2026, 3, 2, 9, 30, tzinfo=TZ))  # a Monday, after 09:00
    outbox = FakeOutbox(clock)
    with open_store(tmp_path / "brs.json", clock=clock) as store:
        reminders = Reminders(store, SETTINGS, outbox, clock, compose=compose)
        reminders.start()
        run = reminders.run()
        assert run.posted == () and outbox.posts == []
        assert dict(store.reminder_entries()) == {}
        assert run.next_at == datetime(2026, 3, 9, 9, 0, tzinfo=TZ)  # the next digest


def test_a_failed_post_is_retried_later_and_posted_exactly_once(store, reminders, clock, outbox):
    just_before(reminders, clock, outbox)
    outbox.fail = 1
    clock.set(at(2012, 10, 28, 9, 0))
    run = reminders.run()
    assert [i.key for i in run.failed] == ["S17-2|1"]
    assert run.next_at == at(2012, 10, 28, 9, 0, 30)  # backoff: 30 s
    assert store.reminder_entries()["S17-2|1"]["state"] == "sending"

    clock.set(run.next_at)
    run = reminders.run()
    assert [p.item.key for p in run.posted] == ["S17-2|1"]
    assert not run.posted[0].late
    assert outbox.posted().count("S17-2|1") == 1
    assert store.reminder_entries()["S17-2|1"]["state"] == "sent"
    assert reminders.run().posted == ()


def test_backoff_grows_and_a_failing_slack_never_loses_the_reminder(
    store, reminders, clock, outbox
):
    just_before(reminders, clock, outbox)
    outbox.fail = 5
    clock.set(at(2012, 10, 28, 9, 0))
    waits = []
    run = reminders.run()
    while run.failed:
        waits.append(run.next_at - clock())
        clock.set(run.next_at)
        run = reminders.run()
    assert waits == [timedelta(seconds=s) for s in (30, 60, 120, 240, 480)]
    assert [p.item.key for p in run.posted] == ["S17-2|1"] and outbox.posted() == ["S17-2|1"]


def test_a_post_whose_answer_was_lost_is_found_in_the_channel_not_posted_again(
    store, reminders, clock, outbox
):
    just_before(reminders, clock, outbox)
    outbox.lose = 1  # Slack posted it, the answer never came back
    clock.set(at(2012, 10, 28, 9, 0))
    assert [i.key for i in reminders.run().failed] == ["S17-2|1"]

    clock.set(at(2012, 10, 28, 9, 1))
    run = reminders.run()
    assert [(p.item.key, p.found) for p in run.posted] == [("S17-2|1", True)]
    assert outbox.posted() == ["S17-2|1"] and outbox.finds == ["S17-2|1"]
    assert store.reminder_entries()["S17-2|1"]["ts"] == outbox.posts[0].ts


class Killed(BaseException):
    """Stands for kill -9 (only `finally` blocks still run, which makes the test harder)."""


def test_a_crash_between_slacks_ok_and_the_ledger_is_repaired_on_start(
    db, store, clock, outbox, monkeypatch
):
    reminders = Reminders(store, SETTINGS, outbox, clock, compose=compose)
    reminders.start()
    just_before(reminders, clock, outbox)
    clock.set(at(2012, 10, 28, 9, 0))
    item_key = "S17-2|1"
    post = outbox.post

    def post_then_die(channel, message):
        post(channel, message)  # Slack has it
        raise Killed

    monkeypatch.setattr(outbox, "post", post_then_die)
    with pytest.raises(Killed):
        reminders.run()
    monkeypatch.setattr(outbox, "post", post)
    assert store.reminder_entries()[item_key]["state"] == "sending"
    store.close()

    clock.set(at(2012, 10, 28, 9, 0, 5))
    with Store.open(db, clock=clock) as again:
        restarted = Reminders(again, SETTINGS, outbox, clock, compose=compose)
        restarted.start()
        run = restarted.run()
        assert [(p.item.key, p.found) for p in run.posted] == [(item_key, True)]
        assert again.reminder_entries()[item_key]["state"] == "sent"
    assert outbox.posted().count(item_key) == 1


def test_a_crash_in_the_middle_of_several_posts_loses_and_repeats_nothing(
    db, store, clock, outbox, monkeypatch
):
    reminders = Reminders(store, SETTINGS, outbox, clock, compose=compose)
    reminders.start()
    just_before(reminders, clock, outbox, day=22)
    clock.set(at(2012, 10, 22, 9, 0))  # the 7-day reminder of S17-2, then the digest
    post = outbox.post

    def die_after_the_first(channel, message):
        post(channel, message)
        raise Killed

    monkeypatch.setattr(outbox, "post", die_after_the_first)
    with pytest.raises(Killed):
        reminders.run()
    monkeypatch.setattr(outbox, "post", post)
    entries = store.reminder_entries()
    assert (entries["S17-2|7"]["state"], entries[DIGEST]["state"]) == ("sending", "sending")
    store.close()

    clock.set(at(2012, 10, 22, 9, 0, 5))
    with Store.open(db, clock=clock) as again:
        restarted = Reminders(again, SETTINGS, outbox, clock, compose=compose)
        restarted.start()
        run = restarted.run()
    assert [(p.item.key, p.found) for p in run.posted] == [("S17-2|7", True), (DIGEST, False)]
    assert outbox.posted() == ["S17-2|7", DIGEST]


def test_an_unfinished_post_that_never_reached_slack_is_posted_once(
    store, reminders, clock, outbox
):
    just_before(reminders, clock, outbox)
    store.put_reminder_entries(
        {
            "S17-2|1": {
                "on": "2012-10-29",
                "state": "sending",
                "channel": CHANNEL,
                "since": at(2012, 10, 28, 9).isoformat(),
                "attempts": 1,
            }
        }
    )
    clock.set(at(2012, 10, 28, 9, 0, 5))
    run = reminders.run()
    assert [(p.item.key, p.found) for p in run.posted if p.item.key != DIGEST] == [
        ("S17-2|1", False)
    ]
    assert outbox.finds[0] == "S17-2|1" and outbox.posted().count("S17-2|1") == 1


def test_when_the_lookup_fails_nothing_is_posted_blindly(store, reminders, clock, outbox):
    just_before(reminders, clock, outbox)
    outbox.lose = 1
    clock.set(at(2012, 10, 28, 9, 0))
    reminders.run()
    outbox.fail_find = 1
    clock.set(at(2012, 10, 28, 9, 1))
    run = reminders.run()
    assert [i.key for i in run.failed] == ["S17-2|1"] and outbox.posted() == ["S17-2|1"]
    clock.set(run.next_at)
    assert [p.found for p in reminders.run().posted] == [True]
    assert outbox.posted() == ["S17-2|1"]


def test_two_threads_running_at_once_post_each_reminder_once(store, reminders, clock, outbox):
    just_before(reminders, clock, outbox)
    clock.set(at(2012, 10, 28, 9, 0))
    barrier = threading.Barrier(8)

    def run() -> None:
        barrier.wait()
        reminders.run()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outbox.posted()) == ["S17-2|1"]


def test_without_a_channel_nothing_is_posted_and_nothing_piles_up(store, clock, outbox):
    from bot.settings import Settings

    reminders = Reminders(store, Settings(workdays=ALL_DAYS, tz=TZ), outbox, clock, compose=compose)
    reminders.start()
    drive(reminders, clock, at(2012, 10, 22, 9, 30))
    assert outbox.posts == []

    store.set_setting(CHANNEL_SETTING, "C0NEW", "U1")  # /brs remind here
    drive(reminders, clock, at(2012, 10, 28, 9, 0))
    assert [(p.channel, p.message.key[1]) for p in outbox.posts] == [("C0NEW", "S17-2|1")]

    store.set_setting(CHANNEL_SETTING, "", "U1")  # /brs remind off
    drive(reminders, clock, at(2012, 11, 5))
    assert len(outbox.posts) == 1


def test_the_monday_digest_lists_overdue_upcoming_and_unfunded(store, reminders, clock, outbox):
    just_before(reminders, clock, outbox, day=22)
    clock.set(at(2012, 10, 22, 9, 0))
    reminders.run()
    [digest] = [p.message for p in outbox.posts if p.message.key[1] == DIGEST]
    text = str(digest.blocks)
    assert "Weekly digest · Monday 22 October 2012" in text
    assert "Overdue" in text and "S1-1" in text  # 14 September
    assert "Due in the next 30 days" in text and "S17-2" in text
    assert "Not yet funded" in text and "Review arrangements" in text
    assert digest.metadata["event_type"] == "brs_digest"


def test_reminder_text_is_escaped(store, reminders, clock, outbox):
    just_before(reminders, clock, outbox, day=22)
    store.commit(
        "U1",
        [("deadline:S17-2", "due", "collect responses", "<!channel> & <https://x|click>")],
    )
    clock.set(at(2012, 10, 22, 9, 0))
    reminders.run()
    text = str(next(p.message.blocks for p in outbox.posts if p.message.key[1] == "S17-2|7"))
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; &lt;https://x|click&gt;" in text


def test_entries_of_removed_deadlines_are_forgotten_on_start(store, reminders, clock, outbox):
    just_before(reminders, clock, outbox, day=22)
    clock.set(at(2012, 10, 22, 9, 0))
    reminders.run()
    reminders.ledger.snooze("S1-1", date(2012, 12, 1), "U1", clock())
    assert {"S17-2|7", DIGEST} <= set(store.reminder_entries())
    assert store.snoozes() == {"S1-1": date(2012, 12, 1)}  # a history record, not an entry
    store.commit("U1", [("deadline:S17-2", "", deadline_to_dict(store.deadline("S17-2")), None)])
    reminders.start()
    assert "S17-2|7" not in store.reminder_entries()
    assert DIGEST in store.reminder_entries()
    assert store.snoozes() == {"S1-1": date(2012, 12, 1)}


def test_a_reminder_that_cannot_be_written_holds_up_nothing_and_is_retried(
    store, reminders, clock, outbox, monkeypatch
):
    import bot.compose

    just_before(reminders, clock, outbox, day=22)
    real = bot.compose.reminder_message

    def broken(**kw):
        if kw["key"] == "S17-2|7":
            raise RuntimeError("a bug")
        return real(**kw)

    monkeypatch.setattr(bot.compose, "reminder_message", broken)
    clock.set(at(2012, 10, 22, 9, 0))
    run = reminders.run()
    assert [i.key for i in run.failed] == ["S17-2|7"] and outbox.posted() == [DIGEST]

    monkeypatch.setattr(bot.compose, "reminder_message", real)
    clock.set(run.next_at)
    assert [p.item.key for p in reminders.run().posted] == ["S17-2|7"]
