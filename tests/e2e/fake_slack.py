"""A small fake of Slack's Web API on loopback: answers, records, and fails on request."""

from __future__ import annotations

import itertools
import json
import socket
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

DROP = 0  # lose_answer(): close the connection instead of answering
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"
TEAM = "T0FAKE"


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", or "response" for a response_url
    path: str
    headers: dict[str, str]
    body: dict[str, Any]  # the form or JSON body, blocks decoded
    status: int  # what the fake answered
    at: float = 0.0  # time.time() when the request arrived


class FakeSlack:
    """`base_url` for WebClient; `response_url(id)`; `fail(...)`; `calls(...)`; `wait_for(...)`."""

    def __init__(self, port: int = 0, on_call: Callable[[Call], None] | None = None) -> None:
        self._on_call = on_call
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._faults: dict[str, deque[tuple[int, str | None]]] = defaultdict(deque)
        self._lost: dict[str, deque[int]] = defaultdict(deque)  # accepted, then answer lost
        self._delays: dict[str, deque[float]] = defaultdict(deque)
        self.socket_url: str | None = None  # what apps.connections.open answers
        self._refused: dict[str, str] = {}  # channel -> error, answered with ok: false
        self._ts = itertools.count(1)
        self._channels: dict[str, list[dict[str, Any]]] = defaultdict(list)  # oldest first
        self._files: dict[str, dict[str, Any]] = {}  # file_id -> upload, in arrival order
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.base_url = self.url + "api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what tests set up --------------------------------------------------

    def response_url(self, name: str) -> str:
        return f"{self.url}response/{name}"

    def fail(self, method: str, status: int, times: int, retry_after: int | None = None) -> None:
        """Answer the next `times` calls of `method` with `status` (429: with Retry-After)."""
        with self._lock:
            self._faults[method].extend(
                [(status, str(retry_after) if retry_after else None)] * times
            )

    def lose_answer(self, method: str, times: int, status: int = DROP) -> None:
        """Take the next `times` calls of `method` as usual, then lose the answer: close the
        connection without one (DROP) or answer `status` (such as 500) as if it had failed."""
        with self._lock:
            self._lost[method].extend([status] * times)

    def delay(self, method: str, seconds: float, times: int) -> None:
        """Answer the next `times` calls of `method` only after `seconds` (a slow Slack)."""
        with self._lock:
            self._delays[method].extend([seconds] * times)

    def refuse(self, channel: str, error: str) -> None:
        """chat.postMessage to `channel` answers 200 with ok: false and `error`."""
        with self._lock:
            self._refused[channel] = error

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._faults.clear()
            self._lost.clear()
            self._delays.clear()
            self._refused.clear()
            self._channels.clear()
            self._files.clear()

    def add_message(self, channel: str, message: dict[str, Any]) -> str:
        """Put a message in `channel`'s history as if posted earlier; returns its ts."""
        with self._lock:
            ts = f"1700000000.{next(self._ts):06d}"
            self._channels[channel].append({"type": "message", "ts": ts, **message})
        return ts

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """What `channel` holds now (after chat.update), oldest first."""
        with self._lock:
            return [dict(m) for m in self._channels[channel]]

    def uploads(self) -> list[dict[str, Any]]:
        """Files completed (files.completeUploadExternal) with their bytes, channel and title."""
        with self._lock:
            return [dict(f) for f in self._files.values() if f.get("completed")]

    # --- what tests check ---------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 10.0, ok: bool = True
    ) -> list[Call]:
        """Poll the call log until `count` calls of `method` (answered 200 if `ok`) arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls(method) if not ok or c.status == 200]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.005)

    # --- answering ----------------------------------------------------------

    def _answer(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            delay = self._delays[method].popleft() if self._delays[method] else 0.0
            lost = self._lost[method].popleft() if self._lost[method] else None
        if delay:
            time.sleep(delay)
        status, headers, answer = self._answer_now(method, body)
        if lost is not None and status == 200:
            if lost == DROP:
                return DROP, {}, None
            return lost, {"Content-Type": "text/html"}, "<html>Internal Server Error</html>"
        return status, headers, answer

    def _answer_now(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            fault = self._faults[method].popleft() if self._faults[method] else None
            refused = self._refused.get(body.get("channel") or body.get("channel_id") or "")
            ts = f"1700000000.{next(self._ts):06d}"
        if fault:
            status, retry_after = fault
            if status == 429:
                return (
                    429,
                    {"Retry-After": retry_after or "1"},
                    {"ok": False, "error": "ratelimited"},
                )
            return status, {"Content-Type": "text/html"}, "<html>Internal Server Error</html>"
        if method == "response":
            return 200, {}, {"ok": True}
        if method == "auth.test":
            return 200, {}, _auth_test()
        if method == "chat.postMessage":
            if refused:
                return 200, {}, {"ok": False, "error": refused}
            self._keep(body, ts)
            return 200, {}, {"ok": True, "channel": body.get("channel"), "ts": ts, "message": body}
        if method == "conversations.history":
            return 200, {}, self._history(body)
        if method == "conversations.replies":
            return 200, {}, self._history(body, thread=body.get("ts"))
        if method == "apps.connections.open":
            if self.socket_url is None:
                return 200, {}, {"ok": False, "error": "not_allowed_token_type"}
            return 200, {}, {"ok": True, "url": self.socket_url}
        if method == "chat.postEphemeral":
            return 200, {}, {"ok": True, "message_ts": ts}
        if method == "chat.update":
            with self._lock:
                for m in self._channels[body.get("channel", "")]:
                    if m["ts"] == body.get("ts"):
                        m.update({k: body[k] for k in ("text", "blocks") if k in body})
            return 200, {}, {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}
        if method.startswith("files.") or method == "upload":
            return self._file_call(method, body, refused)
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            view = body.get("view") or {}
            return 200, {}, {"ok": True, "view": {"id": "V0FAKE", **view}}
        return 200, {}, {"ok": False, "error": "unknown_method"}

    def _file_call(
        self, method: str, body: dict[str, Any], refused: str | None
    ) -> tuple[int, dict[str, str], Any]:
        """files_upload_v2's three steps: an upload URL on this server, the bytes, completion."""
        if method == "files.getUploadURLExternal":
            with self._lock:
                file_id = f"F{next(self._ts):08d}"
                self._files[file_id] = {
                    "id": file_id,
                    "filename": body.get("filename"),
                    "length": int(body.get("length") or 0),
                }
            return (
                200,
                {},
                {"ok": True, "file_id": file_id, "upload_url": f"{self.url}upload/{file_id}"},
            )
        if method == "upload":
            with self._lock:
                found = self._files.get(body.get("file_id", ""))
                if found is not None:
                    found["data"] = body["data"]
            return (
                (200, {}, "OK - " + str(len(body["data"])))
                if found
                else (404, {}, "no such upload")
            )
        if method == "files.completeUploadExternal":
            if refused:
                return 200, {}, {"ok": False, "error": refused}
            done = []
            with self._lock:
                for f in json.loads(body.get("files") or "[]"):
                    upload = self._files.get(f.get("id"))
                    if upload is None or "data" not in upload:
                        return 200, {}, {"ok": False, "error": "file_not_found"}
                    upload.update(
                        completed=True,
                        title=f.get("title"),
                        channel=body.get("channel_id"),
                        initial_comment=body.get("initial_comment"),
                    )
                    done.append(
                        {"id": upload["id"], "name": upload["filename"], "title": f.get("title")}
                    )
            return 200, {}, {"ok": True, "files": done}
        return 200, {}, {"ok": False, "error": "unknown_method"}

    def _keep(self, body: dict[str, Any], ts: str) -> None:
        message = {"type": "message", "ts": ts, "bot_id": BOT_ID, "user": BOT_USER}
        message.update(
            {k: body[k] for k in ("text", "blocks", "metadata", "thread_ts") if k in body}
        )
        with self._lock:
            self._channels[body.get("channel", "")].append(message)

    def _history(self, query: dict[str, Any], thread: str | None = None) -> dict[str, Any]:
        """Newest first, metadata only when asked for, in one page (`oldest` is not applied);
        with `thread`, that thread's messages (conversations.replies)."""
        with self._lock:
            found = [dict(m) for m in reversed(self._channels[query.get("channel", "")])]
        if thread is not None:
            found = [m for m in found if thread in (m.get("thread_ts"), m.get("ts"))]
        if str(query.get("include_all_metadata")).lower() not in ("1", "true"):
            for m in found:
                m.pop("metadata", None)
        return {"ok": True, "messages": found, "has_more": False}


def _auth_test() -> dict[str, Any]:
    return {
        "ok": True,
        "url": "https://fake.slack.com/",
        "team": "Fake",
        "user": "brs",
        "team_id": TEAM,
        "user_id": BOT_USER,
        "bot_id": BOT_ID,
    }


def _decode(raw: bytes, content_type: str) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        body = json.loads(raw or b"{}")
    else:
        body = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    for key in ("blocks", "view", "metadata"):  # form-encoded calls send these as JSON strings
        if isinstance(body.get(key), str):
            body[key] = json.loads(body[key])
    return body


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # slack_sdk sends a few methods, such as history, as GET
            received = time.time()
            url = urlsplit(self.path)
            if not url.path.startswith("/api/"):
                self._send(404, {}, {"ok": False, "error": "not_found"})
                return
            self._answer_call(url.path[len("/api/") :], dict(parse_qsl(url.query)), received)

        def do_POST(self) -> None:
            received = time.time()
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.startswith("/api/"):
                method = self.path[len("/api/") :].split("?")[0]
            elif self.path.startswith("/response/"):
                method = "response"
            elif self.path.startswith("/upload/"):  # an upload URL: raw bytes, no token
                self._answer_call("upload", {"file_id": self.path[8:], "data": raw}, received)
                return
            else:
                self._send(404, {}, {"ok": False, "error": "not_found"})
                return
            self._answer_call(method, _decode(raw, self.headers.get("Content-Type", "")), received)

        def _answer_call(self, method: str, body: dict[str, Any], received: float) -> None:
            status, headers, answer = fake._answer(method, body)
            unsigned = method in ("response", "upload")
            # apps.connections.open takes the app-level token (xapp-), everything else a bot's.
            token = "Bearer xapp-" if method == "apps.connections.open" else "Bearer xox"
            if not unsigned and not self.headers.get("Authorization", "").startswith(token):
                status, headers, answer = 200, {}, {"ok": False, "error": "not_authed"}
            call = Call(method, self.path, dict(self.headers.items()), body, status, received)
            with fake._lock:
                fake._calls.append(call)
            if status == DROP:  # taken, but the answer is lost: the connection just closes
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self._send(status, headers, answer)
            if fake._on_call:
                fake._on_call(call)

        def _send(self, status: int, headers: dict[str, str], answer: Any) -> None:
            data = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
            self.send_response(status)
            headers = {"Content-Type": "application/json; charset=utf-8", **headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the call log is the record

    return Handler


def _print_call(call: Call) -> None:
    from bot.render.text import blocks_to_text

    where = call.body.get("channel") or call.body.get("user_id") or call.path
    thread = f" thread {call.body['thread_ts']}" if call.body.get("thread_ts") else ""
    print(f"--- {call.method} {where}{thread} -> {call.status}")
    blocks = call.body.get("blocks") or (call.body.get("view") or {}).get("blocks")
    text = blocks_to_text(blocks) if blocks else call.body.get("text", "")
    if text:
        print(text.rstrip(), flush=True)


def main() -> None:
    """`python -m tests.e2e.fake_slack [PORT]`: run the fake and print what the app sends it."""
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8990
    fake = FakeSlack(port, on_call=_print_call)
    print(f"fake Slack Web API: SLACK_API_URL={fake.base_url}  (Ctrl+C to stop)", flush=True)
    try:
        fake.server.serve_forever()
    except KeyboardInterrupt:
        fake.server.server_close()


if __name__ == "__main__":
    main()
