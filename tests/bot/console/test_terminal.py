"""`brs console` at a real terminal (a pseudo-terminal): banner, line editing, history, exit."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

BRS = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]


class Terminal:
    def __init__(self, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [*BRS, "console"], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
        os.close(slave)
        self.seen = ""

    def read_until(self, pattern: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while not re.search(pattern, self.seen):
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {pattern!r} in {self.seen[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the console exited and closed the terminal
                    break
        return self.seen

    def type(self, text: str) -> None:
        data = text.encode()
        for i in range(0, len(data), 256):  # keep reading the echo so the terminal never fills
            os.write(self.master, data[i : i + 256])
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                self.seen += os.read(self.master, 65536).decode(errors="replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRS_", "SLACK_"))}
    env = dict(clean, BRS_DB=str(tmp_path / "brs.json"), HOME=str(tmp_path), TERM="xterm")
    t = Terminal(env)
    yield t
    t.close()


def test_banner_history_recall_long_line_and_exit(terminal: Terminal, tmp_path: Path) -> None:
    out = terminal.read_until(r"brs> ")
    assert f"store {tmp_path / 'brs.json'} (17 activities)" in out
    assert "exit or Ctrl-D leaves" in out

    terminal.type("S17\r")
    terminal.read_until(r"Review arrangements[\s\S]*brs> ")
    terminal.type("\x1b[A\r")  # the up arrow brings back "S17"
    out = terminal.read_until(r"(Review arrangements[\s\S]*){2}brs> ")
    assert "\x1b[A" not in out.split("Review arrangements")[-2][-50:]

    # Longer than the 4,095 characters a terminal's line discipline keeps.
    word = "questionnaire" + "z" * 4990
    terminal.type(f"search {word}\r")
    out = terminal.read_until(r"Nothing matches")
    assert "zzzz…" in out or "zzzz" in out

    terminal.type("exit\r")
    assert terminal.proc.wait(timeout=20) == 0
    history = (tmp_path / ".brs_history").read_text()
    assert "S17" in history and f"search {word}" in history
