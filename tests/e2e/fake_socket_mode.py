"""A fake Slack Socket Mode endpoint: a real WebSocket server on loopback (the `websockets`
package) that sends envelopes, records the app's answers and can drop the connection."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve


class FakeSocketMode:
    """`url` is what apps.connections.open answers; `send()`, `drop()`, `answers()`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: list[ServerConnection] = []
        self._answers: list[dict[str, Any]] = []
        self._server = serve(self._serve, "127.0.0.1", 0)
        port = self._server.socket.getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/link/?ticket=fake"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()

    # --- what tests do --------------------------------------------------------------

    def wait_connected(self, count: int = 1, timeout: float = 10.0) -> None:
        """Until `count` connections were made in all, the last of them open."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if len(self._connections) >= count and self._open(self._connections[-1]):
                    return
            time.sleep(0.01)
        raise AssertionError(f"not connected {count} times within {timeout} s")

    def connections(self) -> int:
        with self._lock:
            return len(self._connections)

    def send(self, envelope: dict[str, Any]) -> None:
        with self._lock:
            current = self._connections[-1]
        current.send(json.dumps(envelope))

    def drop(self) -> None:
        """Close the current connection the way Slack does when it rotates one."""
        with self._lock:
            current = self._connections[-1]
        current.close(code=1001, reason="going away")

    def answers(self, envelope_id: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [a for a in self._answers if envelope_id in (None, a.get("envelope_id"))]

    def wait_answer(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if found := self.answers(envelope_id):
                return found[0]
            time.sleep(0.01)
        raise AssertionError(f"no answer to envelope {envelope_id}")

    # --- the server -------------------------------------------------------------------

    @staticmethod
    def _open(connection: ServerConnection) -> bool:
        return connection.protocol.state.name == "OPEN"

    def _serve(self, connection: ServerConnection) -> None:
        with self._lock:
            self._connections.append(connection)
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        try:
            for message in connection:
                answer = json.loads(message)
                with self._lock:
                    self._answers.append(answer)
        except ConnectionClosed:
            pass
