"""One frozen settings object, read from the environment once at the edge (main)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = frozenset(range(5))


class ConfigError(ValueError):
    """A missing or malformed setting; the message names the variable and the right form."""


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path("data/brs.json")
    tz: ZoneInfo = ZoneInfo("Europe/Zurich")
    remind_at: time = time(9, 0)
    lead_days: tuple[int, ...] = (30, 14, 7, 1, 0)
    workdays: frozenset[int] = WEEKDAYS  # date.weekday() numbers; Monday is 0
    digest_day: int = 0  # Monday
    digest_at: time | None = None  # None: at remind_at
    editors: frozenset[str] | None = None  # None: BRS_EDITORS unset
    reminder_channel: str | None = None
    calendar_token: str | None = None  # None: made once and kept in the store
    public_url: str | None = None  # where `brs serve` is reached, for the calendar's URL
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str | None = None
    port: int = 3000

    @property
    def digest_time(self) -> time:
        return self.digest_at or self.remind_at

    @property
    def workday_words(self) -> str:
        """ "Monday to Friday", "Monday, Wednesday and Friday": for people, in notes."""
        days = sorted(self.workdays)
        if len(days) == 7:
            return "every day"
        names = [DAY_NAMES[d].capitalize() for d in days]
        starts = [d for d in days if (d - 1) % 7 not in self.workdays]
        if len(days) > 2 and len(starts) == 1:  # one run, perhaps round the weekend
            last = (starts[0] + len(days) - 1) % 7
            return f"{DAY_NAMES[starts[0]].capitalize()} to {DAY_NAMES[last].capitalize()}"
        return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)

    @property
    def digest_words(self) -> str:
        at = self.digest_time
        return f"{DAY_NAMES[self.digest_day].capitalize()}s at {at.strftime('%H:%M')}"

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    def is_editor(self, user: str, *, console: bool = False) -> bool:
        """Console users edit unless BRS_EDITORS names who may; in Slack only those named may."""
        if self.editors is None:
            return console
        return user in self.editors


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value.strip() if value and value.strip() else None


def _tz(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f'BRS_TZ="{raw}" is not a time zone; use an IANA name such as Europe/Zurich.'
        ) from None


def _time_of_day(raw: str, name: str = "BRS_REMIND_AT") -> time:
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?", raw)
    if not m:
        raise ConfigError(f'{name}="{raw}" is not a time of day; use HH:MM or HH:MM:SS.')
    return time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


def _day(word: str) -> int | None:
    """mon, Monday, MONDAY -> 0; None for anything else."""
    word = word.strip().lower()
    if len(word) < 3:
        return None
    found = [n for n, name in enumerate(DAY_NAMES) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def _workdays(raw: str) -> frozenset[int]:
    days: set[int] = set()
    for part in raw.split(","):
        first, dash, last = part.partition("-")
        a, b = _day(first), _day(last) if dash else _day(first)
        if a is None or b is None:
            raise ConfigError(
                f'BRS_WORKDAYS="{raw}" must name days of the week, like mon-fri '
                "or mon,tue,wed,thu,fri."
            )
        days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    return frozenset(days)


def _digest_day(raw: str) -> int:
    day = _day(raw)
    if day is None:
        raise ConfigError(f'BRS_DIGEST_DAY="{raw}" is not a day of the week; use a name like mon.')
    return day


def _lead_days(raw: str) -> tuple[int, ...]:
    parts = [p.strip() for p in raw.split(",")]
    if not all(p.isdigit() for p in parts):
        raise ConfigError(
            f'BRS_LEAD_DAYS="{raw}" must be whole days before a deadline, like 30,14,7,1,0.'
        )
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def _editors(raw: str) -> frozenset[str]:
    ids = [p.strip() for p in raw.split(",") if p.strip()]
    bad = [i for i in ids if not re.fullmatch(r"[UW][A-Z0-9]{2,}", i)]
    if bad:
        raise ConfigError(
            f'BRS_EDITORS has "{bad[0]}", which is not a Slack user ID; '
            "list IDs such as U012AB3CD, separated by commas."
        )
    return frozenset(ids)


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f'PORT="{raw}" is not a TCP port; use a number from 1 to 65535.')
    return int(raw)


def from_env(env: Mapping[str, str]) -> Settings:
    """Everything brs reads from the environment, checked; Slack tokens are checked by serve."""
    kwargs: dict = {}
    if raw := _get(env, "BRS_DB"):
        kwargs["db_path"] = Path(raw)
    if raw := _get(env, "BRS_TZ"):
        kwargs["tz"] = _tz(raw)
    if raw := _get(env, "BRS_REMIND_AT"):
        kwargs["remind_at"] = _time_of_day(raw)
    if raw := _get(env, "BRS_WORKDAYS"):
        kwargs["workdays"] = _workdays(raw)
    if raw := _get(env, "BRS_DIGEST_DAY"):
        kwargs["digest_day"] = _digest_day(raw)
    if raw := _get(env, "BRS_DIGEST_AT"):
        kwargs["digest_at"] = _time_of_day(raw, "BRS_DIGEST_AT")
    if raw := _get(env, "BRS_LEAD_DAYS"):
        kwargs["lead_days"] = _lead_days(raw)
    if (raw := env.get("BRS_EDITORS")) is not None:
        kwargs["editors"] = _editors(raw)
    if raw := _get(env, "BRS_REMINDER_CHANNEL"):
        if not re.fullmatch(r"[CGD][A-Z0-9]{2,}", raw):
            raise ConfigError(
                f'BRS_REMINDER_CHANNEL="{raw}" is not a Slack channel ID; use an ID like C012AB3CD.'
            )
        kwargs["reminder_channel"] = raw
    if raw := _get(env, "BRS_CALENDAR_TOKEN"):
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,200}", raw):
            raise ConfigError(
                "BRS_CALENDAR_TOKEN must be 16 or more letters, digits, - or _ (it is the secret "
                "in the calendar's URL); make one with: python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(24))'"
            )
        kwargs["calendar_token"] = raw
    if raw := _get(env, "BRS_PUBLIC_URL"):
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", raw):
            raise ConfigError(
                f'BRS_PUBLIC_URL="{raw}" must be the address brs serve is reached at, '
                "like https://brs.example.org (no query or fragment)."
            )
        kwargs["public_url"] = raw.rstrip("/")
    if raw := _get(env, "PORT"):
        kwargs["port"] = _port(raw)
    kwargs["bot_token"] = _get(env, "SLACK_BOT_TOKEN")
    kwargs["signing_secret"] = _get(env, "SLACK_SIGNING_SECRET")
    kwargs["app_token"] = _get(env, "SLACK_APP_TOKEN")
    kwargs["api_url"] = _get(env, "SLACK_API_URL")
    return Settings(**kwargs)


def check_for_serve(settings: Settings) -> None:
    """What `brs serve` needs beyond the common settings; ConfigError names the first gap."""
    if settings.bot_token is None:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set; set it to the app's Bot User OAuth Token (xoxb-…)."
        )
    if not re.fullmatch(r"xoxb-[A-Za-z0-9-]+", settings.bot_token):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-.")
    if settings.app_token is not None and not re.fullmatch(
        r"xapp-[A-Za-z0-9-]+", settings.app_token
    ):
        raise ConfigError(
            "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
            "(or unset for HTTP mode)."
        )
    if settings.app_token is None:
        if settings.signing_secret is None:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set; HTTP mode needs the app's Signing Secret "
                "(Basic Information page), or set SLACK_APP_TOKEN for Socket Mode."
            )
        if not re.fullmatch(r"[0-9a-fA-F]{32,}", settings.signing_secret):
            raise ConfigError(
                "SLACK_SIGNING_SECRET must be the app's Signing Secret: 32 hexadecimal characters."
            )
    if settings.api_url is not None and not re.fullmatch(r"https?://\S+/", settings.api_url):
        raise ConfigError(
            f'SLACK_API_URL="{settings.api_url}" must be a Web API base URL ending in /, '
            "like https://slack.com/api/."
        )
