"""Capacity: idle sockets cannot lock others out, and slow follow-ups never delay an ack.

"At once" is asserted with a generous bound (2 s, while Slack's limit is 3 s and the
follow-up takes 5 s); these are not performance measurements (bench/ has those).
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

from tests.e2e.slack_requests import CHANNEL, Answer, Slack

AT_ONCE = 2.0  # seconds


def timed(send) -> tuple[Answer, float]:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    answer = send()
    return answer, time.monotonic() - start


def start_of(answer: Answer) -> float:
    """When the app answered, by its Date header's clock (whole seconds, rounded down)."""
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(answer.headers["Date"]).timestamp()


def test_150_idle_connections_do_not_lock_out_a_signed_command(slack: Slack) -> None:
    url = urlsplit(slack.url)
    idle = [socket.create_connection((url.hostname, url.port), timeout=5) for _ in range(150)]
    try:
        idle[0].sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # and one half a request
        answer, took = timed(lambda: slack.command("S17"))
    finally:
        for s in idle:
            s.close()
    assert answer.status == 200 and "Review arrangements" in answer.json()["text"]
    assert took < AT_ONCE


def test_a_follow_up_taking_5_s_still_acks_at_once_and_happens(slack: Slack) -> None:
    slack.fake.delay("files.getUploadURLExternal", 5.0, 1)

    answer, took = timed(lambda: slack.command("export csv"))

    assert answer.status == 200 and answer.json()["text"].startswith("Preparing the CSV")
    assert took < AT_ONCE
    [done] = slack.fake.wait_for("files.completeUploadExternal", timeout=15)
    assert done.at - start_of(answer) >= 5.0 and len(slack.fake.uploads()) == 1


def test_a_slow_share_acks_at_once_and_lands_once(slack: Slack) -> None:
    slack.fake.delay("chat.postMessage", 3.0, 1)

    (answer, _), took = timed(lambda: slack.share("S17"))

    assert answer.status == 200 and took < AT_ONCE
    slack.fake.wait_for("chat.postMessage", timeout=15)
    slack.fake.wait_for("response", timeout=5)
    assert len(slack.fake.messages(CHANNEL)) == 1


def test_five_uploads_stalled_by_a_rate_limit_do_not_hold_up_anyone(slack: Slack) -> None:
    # Slack rate-limits the uploads (429, Retry-After 2 s) and is slow when it lets them through.
    slack.fake.fail("files.getUploadURLExternal", 429, times=5, retry_after=1)
    slack.fake.delay("files.getUploadURLExternal", 2.0, 10)
    uploads = [
        threading.Thread(target=slack.command, args=("export csv",), kwargs={"user": f"U0UP{i}"})
        for i in range(5)
    ]
    for t in uploads:
        t.start()
    for t in uploads:
        t.join(timeout=10)
    time.sleep(0.2)  # the five follow-ups are now waiting on Slack

    results: list[tuple[Answer, float]] = []

    def ask(i: int) -> None:
        results.append(
            timed(lambda: slack.command("S17" if i % 2 else "deadlines", user=f"U0READ{i}"))
        )

    readers = [threading.Thread(target=ask, args=(i,)) for i in range(10)]
    for t in readers:
        t.start()
    for t in readers:
        t.join(timeout=10)

    assert len(results) == 10
    assert all(a.status == 200 and a.json()["text"] for a, _ in results)
    assert max(took for _, took in results) < AT_ONCE
    assert len(slack.fake.wait_for("files.completeUploadExternal", count=5, timeout=30)) == 5
