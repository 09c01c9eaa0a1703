"""Requests as Slack sends them: signed, form-encoded commands and actions, JSON events."""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.e2e.fake_slack import BOT_USER, TEAM, FakeSlack

SECRET = "5ec2e75ec2e75ec2e75ec2e75ec2e7ab"  # a Signing Secret's shape: 32 hexadecimal characters
USER = "U0ASKER"
CHANNEL = "C0GENERAL"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


class Slack:
    """Posts to the app at `url` the way Slack does, signing with `secret`."""

    def __init__(self, url: str, fake: FakeSlack, secret: str) -> None:
        self.url = url
        self.fake = fake
        self.verifier = SignatureVerifier(secret)
        self._ids = itertools.count(1)

    def post(
        self,
        body: str,
        content_type: str,
        *,
        age: int = 0,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        timestamp: str | None = None,
    ) -> Answer:
        ts = timestamp or str(int(time.time()) - age)
        headers = {
            **(headers or {}),
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature
            or self.verifier.generate_signature(timestamp=ts, body=body),
        }
        request = urllib.request.Request(
            self.url, data=body.encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return Answer(r.status, r.read(), dict(r.headers.items()))
        except urllib.error.HTTPError as e:
            return Answer(e.code, e.read(), dict(e.headers.items()))

    def command(self, text: str, *, user: str = USER, channel: str = CHANNEL, **kw: Any) -> Answer:
        n = next(self._ids)
        form = {
            "token": "legacy-unused",
            "team_id": TEAM,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "asker",
            "command": "/brs",
            "text": text,
            "api_app_id": "A0BRS",
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url(f"command-{n}"),
            "trigger_id": f"{n}.trigger",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded", **kw)

    def share(self, value: str, *, user: str = USER, channel: str = CHANNEL) -> tuple[Answer, str]:
        """Click "Share in channel" on an ephemeral reply; returns the answer and its response_url."""
        response_url = self.fake.response_url(f"action-{next(self._ids)}")
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": "asker", "team_id": TEAM},
            "api_app_id": "A0BRS",
            "token": "legacy-unused",
            "container": {
                "type": "message",
                "message_ts": "1700000000.000001",
                "channel_id": channel,
                "is_ephemeral": True,
            },
            "trigger_id": "1.trigger",
            "team": {"id": TEAM, "domain": "fake"},
            "channel": {"id": channel, "name": "general"},
            "response_url": response_url,
            "actions": [
                {
                    "type": "button",
                    "action_id": "share",
                    "block_id": "b1",
                    "text": {"type": "plain_text", "text": "Share in channel"},
                    "value": value,
                    "action_ts": "1700000001.000001",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded"), response_url

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> Answer:
        """Deliver an event; a retry (`retry`=1, 2, …) repeats an earlier `event_id`."""
        envelope = {
            "token": "legacy-unused",
            "team_id": TEAM,
            "api_app_id": "A0BRS",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:12].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(
            json.dumps(envelope), "application/json", headers=headers if retry else None
        )


def main(argv: list[str] | None = None) -> None:
    """`python -m tests.e2e.slack_requests S17`: send one signed request, print the answer."""
    import argparse
    import types

    from bot.render.text import blocks_to_text

    p = argparse.ArgumentParser(prog="python -m tests.e2e.slack_requests")
    p.add_argument("text", help="the /brs text, e.g. S17 (or the Share value with --share)")
    p.add_argument("--app", default="http://127.0.0.1:3000/slack/events", help="brs serve's URL")
    p.add_argument("--fake", default="http://127.0.0.1:8990/", help="the fake Slack's URL")
    p.add_argument("--secret", default=SECRET, help="SLACK_SIGNING_SECRET of brs serve")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--share", action="store_true", help="click Share in channel")
    kind.add_argument("--mention", action="store_true", help="mention the bot in a channel")
    kind.add_argument("--dm", action="store_true", help="write to the bot directly")
    args = p.parse_args(argv)
    fake = types.SimpleNamespace(response_url=lambda name: f"{args.fake}response/{name}")
    slack = Slack(args.app, fake, args.secret)  # type: ignore[arg-type]
    ts = f"{time.time():.6f}"
    if args.share:
        answer, _ = slack.share(args.text)
    elif args.mention or args.dm:
        event = {"type": "app_mention", "text": f"<@{BOT_USER}> {args.text}", "channel": CHANNEL}
        if args.dm:
            event = {"type": "message", "channel_type": "im", "text": args.text, "channel": "D0DM"}
        answer = slack.event({**event, "user": USER, "ts": ts, "event_ts": ts})
    else:
        answer = slack.command(args.text)
    print(f"HTTP {answer.status}")
    if answer.body.startswith(b"{"):
        reply = answer.json()
        print(blocks_to_text(reply["blocks"]) if reply.get("blocks") else reply)
    print("(anything posted afterwards shows in the fake Slack's window)")


if __name__ == "__main__":
    main()
