"""Handlers with a fake ack, respond and client: what each one sends, without any HTTP."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from bot.settings import Settings
from bot.slack.failures import FAILED
from bot.slack.followups import FollowUps
from bot.slack.listeners.actions import make_share
from bot.slack.listeners.commands import make_brs
from bot.slack.listeners.deps import Deps
from bot.slack.listeners.events import mention_command
from bot.slack.listeners.messages import is_shareable, public_blocks
from bot.slack.refusals import why
from tests.bot.slack_limits import problems

CODES = ["S1", "S4", "S17"]


class Recorder:
    """Stands in for ack, respond and client.chat_postMessage: keeps every call's arguments."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.fail = fail

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)

    def chat_postMessage(self, **kwargs: Any) -> dict:  # noqa: N802 - slack_sdk's name
        self.calls.append(kwargs)
        if self.fail:
            raise self.fail
        return {"ok": True, "ts": f"1700000000.{len(self.calls):06d}"}


@pytest.fixture
def deps(store: Any) -> Deps:
    # 22:30 UTC on 19 August is already the 20th in Zurich: today comes from BRS_TZ.
    return Deps(
        store=store,
        clock=lambda: datetime(2012, 8, 19, 22, 30, tzinfo=UTC),
        settings=Settings(),
        followups=FollowUps(inline=True),  # what follows the ack runs before the call returns
    )


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("<@U0BOT> what about s17?", "S17"),
        ("<@U0BOT> S4, then S17", "S4"),
        ("<@U0BOT> funding partly", "funding partly"),
        ("<@U0BOT> deadlines 30", "deadlines 30"),
        ("<@U0BOT> is S18 done?", "S18"),  # looks like a code: the answer lists the valid ones
        ("<@U0BOT> see <#C0ABC|s17-talk> and UNEP/CHW.10/INF/48", None),
        ("<@U0BOT> hello", None),
        ("<@U0BOT> meet at 5pm in room B2", None),
    ],
)
def test_mention_command(text: str, command: str | None) -> None:
    assert mention_command(text, CODES) == command


def test_brs_answers_inside_the_ack_for_today_in_brs_tz(deps: Deps) -> None:
    ack = Recorder()

    make_brs(deps)(ack=ack, command={"text": "S17"})

    [sent] = ack.calls
    assert sent["response_type"] == "ephemeral"
    assert problems(sent["blocks"], sent["text"]) == []
    assert "in 11 days" in str(sent["blocks"])  # 31 August counted from 20 August


def _click(deps: Deps, value: str, client: Recorder) -> Recorder:
    respond = Recorder()
    body = {
        "user": {"id": "U0ASKER"},
        "channel": {"id": "C0GENERAL"},
        "response_url": "https://hooks.example/r",
    }
    make_share(deps)(
        ack=Recorder(), body=body, action={"value": value}, client=client, respond=respond
    )
    return respond


def test_share_posts_without_the_button_and_replaces_the_card(deps: Deps) -> None:
    client = Recorder()

    respond = _click(deps, "S17", client)

    [post] = client.calls
    assert post["channel"] == "C0GENERAL"
    assert post["blocks"][-1]["elements"][0]["text"] == "Shared by <@U0ASKER>"
    assert problems(post["blocks"], post["text"]) == []
    assert respond.calls == [
        {"text": "Shared in <#C0GENERAL>.", "response_type": "ephemeral", "replace_original": True}
    ]


def test_share_failure_is_told_to_the_sharer(deps: Deps) -> None:
    response = SimpleNamespace(status_code=200, get=lambda k, d=None: "is_archived")
    client = Recorder(fail=SlackApiError("refused", response))

    respond = _click(deps, "S17", client)

    [note] = respond.calls
    assert note["replace_original"] is False
    assert note["text"] == "Could not share in <#C0GENERAL>. This channel is archived."


def _api_error(status: int, error: str = "") -> SlackApiError:
    return SlackApiError("x", SimpleNamespace(status_code=status, get=lambda k, d=None: error))


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (_api_error(200, "not_in_channel"), "/invite @brs"),
        (_api_error(429, "ratelimited"), "try again in a minute"),
        (_api_error(503), "server error (503)"),
        (_api_error(200, "invalid_blocks"), "`invalid_blocks`"),
        (ConnectionResetError(), "could not be reached"),
    ],
)
def test_failure_text(error: Exception, says: str) -> None:
    assert says in why(error, "post")


def test_public_blocks_drop_the_share_button(deps: Deps) -> None:
    reply = deps.answer("list")

    assert is_shareable(reply)
    blocks = public_blocks(reply)
    assert len(blocks) == len(reply.blocks) - 1
    assert not is_shareable(deps.answer("S99"))


class BrokenStore:
    def __getattr__(self, name: str) -> Any:
        raise OSError("disk gone")


def test_a_failing_listener_is_logged_once_with_its_traceback_and_told(caplog) -> None:
    import time
    from urllib.parse import urlencode

    from slack_bolt import BoltRequest
    from slack_sdk.signature import SignatureVerifier

    from bot.slack.app import create_app
    from tests.e2e.fake_slack import FakeSlack

    secret = "0123456789abcdef0123456789abcdef"
    fake = FakeSlack().start()  # answers the auth.test of the first request
    try:
        settings = Settings(bot_token="xoxb-1", signing_secret=secret, api_url=fake.base_url)
        app = create_app(settings, store=BrokenStore(), clock=lambda: datetime.now(UTC))
        body = urlencode({"command": "/brs", "text": "S17", "user_id": "U1", "team_id": "T1"})
        ts = str(int(time.time()))
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        headers = {"x-slack-request-timestamp": [ts], "x-slack-signature": [signature]}

        response = app.dispatch(BoltRequest(body=body, headers=headers))
    finally:
        fake.stop()

    # Never a bare 500: the asker is told, the log has the traceback once.
    assert response.status == 200
    assert json.loads(response.body) == {"response_type": "ephemeral", "text": FAILED}
    [record] = [r for r in caplog.records if r.name == "bot.slack.failures"]
    assert record.exc_info and "disk gone" in str(record.exc_info[1])
