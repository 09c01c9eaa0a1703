"""Bad input anywhere gets a 4xx or a message: never a 500, never a traceback, a bounded log."""

from __future__ import annotations

import copy
import http.client
import json
import logging
import random
import socket
from urllib.parse import urlencode, urlsplit

import pytest

from bot.slack.failures import UNREADABLE
from tests.e2e.conftest import Running
from tests.e2e.slack_requests import Slack

BAD_BODIES = [
    b"{not json",
    b"\xff\xfe\x00garbage",
    b"payload=%7Bnot-json",
    b"payload=%5B1%2C2%5D",
    b"",
    b"command=/brs&text=S17",
    json.dumps({"type": "event_callback", "event": {"type": "app_mention"}}).encode(),
]


def _raw(url: str, body: bytes, headers: dict[str, str], conn: http.client.HTTPConnection) -> int:
    conn.request("POST", urlsplit(url).path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status


def test_a_thousand_unsigned_or_malformed_requests_get_4xx_quietly(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(11)
    caplog.set_level(logging.DEBUG)
    url = urlsplit(slack.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    statuses = []
    for i in range(1000):
        body = rng.choice(BAD_BODIES)
        kind = i % 5
        headers = {
            "Content-Type": rng.choice(["application/json", "application/x-www-form-urlencoded"])
        }
        if kind == 1:
            headers["X-Slack-Request-Timestamp"] = rng.choice(
                ["soon", "1e9", "-5", "", "12345678901234567890"]
            )
            headers["X-Slack-Signature"] = "v0=" + "0" * 64
        elif kind == 2:
            headers["X-Slack-Request-Timestamp"] = "1700000000"
            headers["X-Slack-Signature"] = "v0=" + "0" * 64
        elif kind == 3:
            headers["X-Slack-Signature"] = "\u00e9t\u00e9".encode().decode("latin-1")
            headers["X-Slack-Request-Timestamp"] = "\u00b9\u00b2"
        statuses.append(_raw(slack.url, body, headers, conn))
    conn.close()

    assert set(statuses) <= {400, 401}, sorted(set(statuses))
    assert statuses.count(401) >= 600
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    assert len(caplog.records) <= 5 and len(logged) < 2_000, logged[:500]
    assert "S17" in slack.command("S17").json()["text"]  # and the server still answers


def test_a_non_numeric_timestamp_is_401(slack: Slack) -> None:
    for ts in ("soon", "1.5e9", "1700000000.5", "0x65000000", "-1700000000"):
        assert (
            slack.post(
                "command=/brs&text=S17", "application/x-www-form-urlencoded", timestamp=ts
            ).status
            == 401
        )


def test_a_signed_body_that_is_not_json_is_400(slack: Slack) -> None:
    assert slack.post("{not json", "application/json").status == 400
    assert slack.post("payload=%7Bnot", "application/x-www-form-urlencoded").status == 400
    assert slack.post("[1, 2]", "application/json").status == 400


def test_a_body_over_the_limit_is_413_before_it_is_read(slack: Slack) -> None:
    url = urlsplit(slack.url)
    with socket.create_connection((url.hostname, url.port), timeout=5) as s:
        s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 413 ")


def _action(slack: Slack, action: dict, **top: object) -> int:
    payload = {
        "type": "block_actions",
        "user": {"id": "U0ASKER", "team_id": "T0FAKE"},
        "api_app_id": "A0BRS",
        "team": {"id": "T0FAKE"},
        "trigger_id": "1.trigger",
        "actions": [{"type": "button", "block_id": "b", "action_ts": "1.2", **action}],
        **top,
    }
    body = urlencode({"payload": json.dumps(payload)})
    return slack.post(body, "application/x-www-form-urlencoded").status


@pytest.mark.parametrize("page", ["abc", "-1", "99999999999", "1e3", "[1]"])
def test_a_crafted_home_page_value_is_one_warning(slack: Slack, caplog, page: str) -> None:
    caplog.set_level(logging.WARNING)
    status = _action(slack, {"action_id": "home_page:next", "value": page}, view={"type": "home"})

    assert status == 200
    [record] = [r for r in caplog.records if r.name == "bot.slack.failures"]
    assert "cannot be read" in record.getMessage() and record.exc_info is None
    assert slack.fake.calls("views.publish") == []


def test_a_click_without_a_user_is_one_warning_and_told(slack: Slack, caplog, running: Running):
    caplog.set_level(logging.WARNING)
    response_url = slack.fake.response_url("crafted")
    payload = {
        "type": "block_actions",
        "channel": {"id": "C0GENERAL"},
        "response_url": response_url,
        "actions": [{"action_id": "share", "value": "S17", "type": "button", "block_id": "b"}],
        "container": {"channel_id": "C0GENERAL"},
        "team": {"id": "T0FAKE"},
        "user": {},
    }
    body = urlencode({"payload": json.dumps(payload)})

    assert slack.post(body, "application/x-www-form-urlencoded").status == 200

    [note] = slack.fake.wait_for("response")
    assert note.body["text"] == UNREADABLE
    assert not any(r.exc_info for r in caplog.records)
    assert slack.fake.messages("C0GENERAL") == []


@pytest.mark.parametrize(
    "metadata",
    [
        "not json",
        json.dumps({"code": "S17", "seq": 1, "fp": [5], "fs": ["partly"]}),
        json.dumps({"code": "S17", "seq": 1, "fp": [{}], "fs": []}),
        json.dumps({"code": ["S17"], "seq": "1", "fp": [], "fs": []}),
        json.dumps([1, 2]),
    ],
)
def test_crafted_private_metadata_says_the_form_cannot_be_read(slack, caplog, metadata) -> None:
    caplog.set_level(logging.WARNING)
    payload = {
        "type": "view_submission",
        "user": {"id": "U0ASKER"},
        "team": {"id": "T0FAKE"},
        "view": {
            "type": "modal",
            "id": "V0FAKE",
            "callback_id": "brs_edit",
            "private_metadata": metadata,
            "state": {"values": {}},
        },
    }
    body = urlencode({"payload": json.dumps(payload)})

    answer = slack.post(body, "application/x-www-form-urlencoded")

    assert answer.status == 200
    reply = answer.json()
    assert reply["response_action"] == "update"
    assert UNREADABLE in json.dumps(reply["view"])
    assert not any(r.exc_info for r in caplog.records)


def test_a_signed_payload_bolt_itself_cannot_read_is_400_and_one_line(slack, caplog) -> None:
    caplog.set_level(logging.WARNING)
    view = {"id": "V1", "callback_id": "brs_edit"}  # no "type": Bolt itself trips on it
    payload = {"type": "view_submission", "user": {"id": "U0ASKER"}, "view": view}
    body = urlencode({"payload": json.dumps(payload)})

    assert slack.post(body, "application/x-www-form-urlencoded").status == 400
    assert not any(r.exc_info for r in caplog.records)
    [record] = [r for r in caplog.records if r.name == "bot.slack.edge"]
    assert "cannot read" in record.getMessage()


# --- fuzzing signed payloads: valid shapes with fields dropped or of the wrong type ------------

_JUNK: list[object] = [None, 5, "x", [], {}, [1], {"a": 1}, True, "S17", -1]
_ACTION_IDS = [
    "share",
    "reminder_done",
    "reminder_snooze_day",
    "reminder_details",
    "home_page:next",
    "home_details",
    "home_edit:S17",
]


def _base_action(fake_url: str, action_id: str) -> dict:
    return {
        "type": "block_actions",
        "user": {"id": "U0ASKER", "team_id": "T0FAKE"},
        "api_app_id": "A0BRS",
        "trigger_id": "1.t",
        "team": {"id": "T0FAKE"},
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "C0GENERAL"},
        "channel": {"id": "C0GENERAL"},
        "response_url": fake_url,
        "message": {"ts": "1.2", "text": "x", "blocks": []},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": "S17",
                "action_ts": "1.3",
            }
        ],
        **({"view": {"type": "home"}} if action_id.startswith("home") else {}),
    }


_VIEW = {
    "type": "view_submission",
    "user": {"id": "U0ASKER"},
    "team": {"id": "T0FAKE"},
    "view": {
        "type": "modal",
        "id": "V1",
        "callback_id": "brs_edit",
        "state": {"values": {}},
        "private_metadata": json.dumps({"code": "S17", "seq": 0, "fp": [{}], "fs": ["x"]}),
    },
}
_EVENT = {
    "type": "event_callback",
    "team_id": "T0FAKE",
    "event_id": "Ev1",
    "event": {
        "type": "app_mention",
        "user": "U1",
        "text": "<@U0BOT> S8",
        "ts": "1.1",
        "channel": "C0GENERAL",
    },
}


def _mutate(d: dict, rng: random.Random) -> dict:
    d = copy.deepcopy(d)
    for _ in range(rng.randint(1, 3)):
        node: object = d
        path: list[tuple[object, object]] = []
        while isinstance(node, (dict, list)) and node and rng.random() < 0.7:
            key = rng.choice(list(node.keys()) if isinstance(node, dict) else range(len(node)))
            path.append((node, key))
            node = node[key]  # type: ignore[index]
        if path:
            parent, key = path[-1]
            if isinstance(parent, dict) and rng.random() < 0.4:
                del parent[key]
            else:
                parent[key] = copy.deepcopy(rng.choice(_JUNK))  # type: ignore[index]
    return d


def test_300_crafted_signed_payloads_get_no_500_and_no_traceback(slack: Slack, caplog) -> None:
    caplog.set_level(logging.WARNING)
    rng = random.Random(11)
    form = "application/x-www-form-urlencoded"
    statuses = []
    for i in range(300):
        if i % 3 == 0:
            base = _base_action(slack.fake.response_url("fuzz"), rng.choice(_ACTION_IDS))
            body, kind = urlencode({"payload": json.dumps(_mutate(base, rng))}), form
        elif i % 3 == 1:
            body, kind = urlencode({"payload": json.dumps(_mutate(_VIEW, rng))}), form
        else:
            event = {**_mutate(_EVENT, rng), "event_id": f"EvFUZZ{i}"}
            body, kind = json.dumps(event), "application/json"
        statuses.append(slack.post(body, kind).status)
    slack.fake.wait_for("never", timeout=0.5)  # let follow-ups finish

    assert max(statuses) < 500
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
