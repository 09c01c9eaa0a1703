"""Where the console's lines come from: readline with a history file at a terminal, else a pipe.

At a terminal the kernel's line discipline cuts a typed or pasted line at 4,095 characters;
readline reads the terminal itself, so a line of any length arrives whole, and the arrow keys
edit and recall instead of sending escape codes into the command.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

HISTORY_LENGTH = 1000


def piped(source: TextIO) -> Iterator[str]:
    """Each line of a pipe or file, whatever its length."""
    yield from source


def interactive(prompt: str, history: Path | None) -> Iterator[str]:
    """Lines typed at the terminal, edited and recalled with readline; history kept in a file."""
    import readline  # only at a terminal: a pipe needs none of it

    if history is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
        readline.set_history_length(HISTORY_LENGTH)
    try:
        while True:
            try:
                yield input(prompt)
            except EOFError:
                print()
                return
            except KeyboardInterrupt:  # Ctrl-C drops the line being typed, as shells do
                print()
    finally:
        if history is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(history)
