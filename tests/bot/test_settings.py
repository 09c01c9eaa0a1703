"""Settings read from the environment: working days and the digest's day and time."""

from __future__ import annotations

from datetime import time

import pytest

from bot.settings import ConfigError, from_env


@pytest.mark.parametrize(
    ("raw", "days"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("mon,tue,wed,thu,fri", {0, 1, 2, 3, 4}),
        ("Monday-Thursday", {0, 1, 2, 3}),
        ("sun-thu", {6, 0, 1, 2, 3}),  # a range may wrap round the week
        ("mon, wed ,fri", {0, 2, 4}),
        ("sat", {5}),
    ],
)
def test_workdays(raw, days):
    assert from_env({"BRS_WORKDAYS": raw}).workdays == frozenset(days)


def test_the_defaults_are_monday_to_friday_and_a_monday_digest_at_the_reminder_time():
    s = from_env({"BRS_REMIND_AT": "08:30"})
    assert s.workdays == frozenset(range(5))
    assert s.digest_day == 0 and s.digest_time == time(8, 30)


def test_digest_day_and_time():
    s = from_env({"BRS_DIGEST_DAY": "friday", "BRS_DIGEST_AT": "16:00"})
    assert s.digest_day == 4 and s.digest_time == time(16, 0)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("BRS_WORKDAYS", "weekdays"),
        ("BRS_WORKDAYS", "mon-"),
        ("BRS_WORKDAYS", "mo-fr"),  # too short to say which day
        ("BRS_WORKDAYS", "mon-fri-sat"),
        ("BRS_WORKDAYS", "t"),
        ("BRS_DIGEST_DAY", "mon-fri"),
        ("BRS_DIGEST_DAY", "someday"),
        ("BRS_DIGEST_AT", "4pm"),
    ],
)
def test_a_malformed_setting_is_one_line_naming_it(name, raw):
    with pytest.raises(ConfigError) as e:
        from_env({name: raw})
    message = str(e.value)
    assert message.startswith(f'{name}="{raw}"') and "\n" not in message
    assert "like" in message or "use" in message


def test_calendar_token_and_public_url():
    s = from_env({"BRS_CALENDAR_TOKEN": "x" * 24, "BRS_PUBLIC_URL": "https://brs.example.org/"})
    assert s.calendar_token == "x" * 24 and s.public_url == "https://brs.example.org"
    assert from_env({}).calendar_token is None and from_env({}).public_url is None


@pytest.mark.parametrize(
    ("name", "raw", "start"),
    [
        ("BRS_CALENDAR_TOKEN", "short", "BRS_CALENDAR_TOKEN must be 16 or more"),
        ("BRS_CALENDAR_TOKEN", "a/b" * 10, "BRS_CALENDAR_TOKEN must be 16 or more"),
        ("BRS_PUBLIC_URL", "brs.example.org", 'BRS_PUBLIC_URL="brs.example.org" must be'),
        ("BRS_PUBLIC_URL", "https://x.org/?a=1", 'BRS_PUBLIC_URL="https://x.org/?a=1" must be'),
    ],
)
def test_a_malformed_calendar_setting_names_itself(name, raw, start):
    with pytest.raises(ConfigError) as e:
        from_env({name: raw})
    assert str(e.value).startswith(start) and "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("env", "workdays", "digest"),
    [
        ({}, "Monday to Friday", "Mondays at 09:00"),
        ({"BRS_WORKDAYS": "mon,wed,fri"}, "Monday, Wednesday and Friday", "Mondays at 09:00"),
        ({"BRS_WORKDAYS": "sun-thu"}, "Sunday to Thursday", "Mondays at 09:00"),
        ({"BRS_WORKDAYS": "mon-sun", "BRS_DIGEST_DAY": "fri"}, "every day", "Fridays at 09:00"),
        (
            {"BRS_REMIND_AT": "08:00", "BRS_DIGEST_AT": "16:30"},
            "Monday to Friday",
            "Mondays at 16:30",
        ),
    ],
)
def test_the_schedule_in_words(env, workdays, digest):
    s = from_env(env)
    assert (s.workday_words, s.digest_words) == (workdays, digest)


def test_remind_here_says_the_digest_day_and_the_working_days(tmp_path):
    from datetime import UTC, datetime

    from bot.answer import Answers
    from bot.changes.editors import Asker
    from bot.render.text import blocks_to_text
    from store.bootstrap import open_store

    now = datetime(2012, 8, 20, 7, tzinfo=UTC)
    settings = from_env({"BRS_DIGEST_DAY": "fri", "BRS_WORKDAYS": "mon-thu"})
    with open_store(tmp_path / "brs.json", clock=lambda: now) as store:
        reply = Answers(store).answer(
            "remind", today=now.date(), asker=Asker("c", settings, now, console=True)
        )
    text = blocks_to_text(reply.blocks)
    assert "a digest on Fridays at 09:00; on working days only (Monday to Thursday)." in text
