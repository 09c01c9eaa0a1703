"""What was already handled, for a while: a small, bounded, persistent window of keys.

Slack delivers an event again (same event_id, with X-Slack-Retry-Num) when it did not see
an ack in time, and a signed request can be replayed within Slack's 5-minute window. The
window keeps the keys of what was handled for WINDOW, in a JSON-lines file of its own beside
the store (`brs.seen.jsonl`: one fsynced line per key, rewritten without expired ones when
it has grown), so a restart in between does not handle it again.

A key is written only once its handling is done. A crash between handling and writing
lets a retry be handled again (a rare duplicate); writing first would lose the work
instead, since Slack never saw an ack for the delivery that crashed.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=2)  # Slack retries an event three times within about 5 minutes
LIMIT = 50_000  # keys kept at most (about 4 MB of file); the oldest go first
COMPACT_AT = 1_000  # rewrite once the file holds this many more lines than live keys
MAX_KEY = 300


def seen_path(db_path: Path) -> Path:
    """data/brs.json -> data/brs.seen.jsonl"""
    return db_path.with_name(f"{db_path.stem}.seen.jsonl")


class SeenWindow:
    """`claim(key)` before handling, then `done(key)` or `release(key)`. Thread-safe."""

    def __init__(
        self,
        path: Path | None,
        *,
        clock: Callable[[], datetime],
        window: timedelta = WINDOW,
        limit: int = LIMIT,
    ) -> None:
        self.path = Path(path) if path is not None else None  # None: in memory only
        self._clock = clock
        self._window = window.total_seconds()
        self._limit = limit
        self._lock = threading.Lock()
        self._done: OrderedDict[str, float] = OrderedDict()  # key -> when, oldest first
        self._claimed: set[str] = set()  # being handled now, in this process
        self._lines = 0
        self._problem: str | None = None  # why the file cannot be written, if it cannot
        self._fd: int | None = None
        if self.path is not None:
            self._load()

    # --- the window ---------------------------------------------------------------

    def claim(self, key: str) -> bool:
        """True: handle it (first time seen). False: handled already, or being handled."""
        key = key[:MAX_KEY]
        with self._lock:
            self._expire()
            if key in self._done or key in self._claimed:
                return False
            self._claimed.add(key)
            return True

    def done(self, key: str) -> None:
        """`key` was handled: remember it for the window, on disk (fsynced) before returning."""
        key = key[:MAX_KEY]
        with self._lock:
            self._claimed.discard(key)
            at = self._now()
            self._done[key] = at
            self._done.move_to_end(key)
            while len(self._done) > self._limit:
                self._done.popitem(last=False)
            self._append(json.dumps({"k": key, "t": round(at, 3)}) + "\n")

    def release(self, key: str) -> None:
        """Handling `key` failed: a later delivery may try again."""
        with self._lock:
            self._claimed.discard(key[:MAX_KEY])

    def health(self) -> str | None:
        """None while the file can be written; else why not, in one line."""
        with self._lock:
            if self._problem:
                return self._problem
            if self._fd is not None and os.fstat(self._fd).st_nlink == 0:
                return f"{self.path} was deleted under the running server"
            return None

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __len__(self) -> int:
        with self._lock:
            return len(self._done)

    # --- the file -------------------------------------------------------------------

    def _now(self) -> float:
        return self._clock().timestamp()

    def _expire(self) -> None:
        cutoff = self._now() - self._window
        while self._done:
            key, at = next(iter(self._done.items()))
            if at >= cutoff:
                break
            self._done.popitem(last=False)

    def _load(self) -> None:
        assert self.path is not None
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    self._lines += 1
                    try:
                        d = json.loads(line)
                        self._done[str(d["k"])[:MAX_KEY]] = float(d["t"])
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut short by a crash, or not ours: skipped
        except FileNotFoundError:
            pass
        except OSError as e:
            self._problem = f"{self.path} cannot be read: {e.strerror}"
            log.warning("seen window: %s; it starts empty", self._problem)
        self._done = OrderedDict(sorted(self._done.items(), key=lambda kv: kv[1]))
        self._expire()
        while len(self._done) > self._limit:
            self._done.popitem(last=False)
        self._compact()

    def _append(self, line: str) -> None:
        if self.path is None:
            return
        if self._lines - len(self._done) >= COMPACT_AT:
            self._compact()
            return  # the rewrite holds the new key too
        if self._fd is None:
            return
        try:
            data = line.encode()
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(28, "short write")
            os.fsync(self._fd)
            self._lines += 1
            self._problem = None
        except OSError as e:
            self._broken(e)

    def _compact(self) -> None:
        """Rewrite the file with the live keys only: temp file, fsync, rename, fsync dir."""
        if self.path is None:
            return
        text = "".join(json.dumps({"k": k, "t": round(t, 3)}) + "\n" for k, t in self._done.items())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.tmp-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
            if self._fd is not None:
                fd, self._fd = self._fd, None  # never closed twice, even if the open fails
                os.close(fd)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            self._lines = len(self._done)
            self._problem = None
        except OSError as e:
            self._broken(e)

    def _broken(self, error: OSError) -> None:
        # Kept in memory still: within this process nothing is handled twice.
        problem = f"{self.path} cannot be written: {error.strerror or error}"
        if problem != self._problem:
            log.warning("seen window: %s", problem)
        self._problem = problem
