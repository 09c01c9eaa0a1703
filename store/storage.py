"""A TinyDB storage that writes atomically (temp file, fsync, rename) and caches what it wrote."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class StoreError(Exception):
    """A store problem to show to a person as one line; never a traceback."""


class ChangedMeanwhile(StoreError):
    """A change's `old` is no longer the current value: someone else changed it first."""


def temp_prefix(path: Path) -> str:
    """The name prefix of the temporary files written beside `path`."""
    return f".{path.name}.tmp-"


def remove_orphans(path: Path) -> list[Path]:
    """Delete the temporary files a crashed write of `path` left beside it."""
    removed: list[Path] = []
    directory = path.parent
    if not directory.is_dir():
        return removed
    prefix = temp_prefix(path)
    for entry in directory.iterdir():
        if entry.name.startswith(prefix):
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed.append(entry)
    return removed


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicJSONStorage(Storage):
    """Whole-file JSON storage whose file is never seen half written.

    One process owns a writable storage (see store.lock), so after the first read
    the file's content is known: read() parses the last text written instead of
    touching the disk. Parsing a fresh copy each time means TinyDB's in-place
    mutations of what read() returned can never corrupt that cache.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        readonly: bool = False,
        create_dirs: bool = False,
        **dumps_kwargs: Any,
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._dumps = {"ensure_ascii": False, **dumps_kwargs}
        self._text: str | None = None  # None: not read from disk yet
        self._in_batch = False
        self._pending: dict[str, Any] | None = None
        self._pending_dirty = False
        if not readonly:
            if create_dirs:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.remove_orphans()

    def remove_orphans(self) -> list[Path]:
        """Delete temporary files a crashed write left behind; returns what it removed."""
        return remove_orphans(self.path)

    def read(self) -> dict[str, Any] | None:
        if self._in_batch:
            return self._pending
        if self.readonly:
            return self._parse(self._read_disk())
        if self._text is None:
            self._text = self._read_disk()
        return self._parse(self._text)

    def write(self, data: dict[str, Any]) -> None:
        if self.readonly:
            raise StoreError(f"The store {self.path} is open read-only; nothing was written.")
        if self._in_batch:
            self._pending = data
            self._pending_dirty = True
            return
        self._write_disk(json.dumps(data, **self._dumps))

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group TinyDB operations into one disk write, made on leaving the block.

        Inside the block TinyDB works on one in-memory dict; if the block raises,
        nothing is written and the cache keeps the last written state.
        """
        if self._in_batch:
            yield
            return
        self._pending = self.read()
        self._pending_dirty = False
        self._in_batch = True
        try:
            yield
            pending = self._pending if self._pending_dirty else None
        finally:
            self._in_batch = False
            self._pending = None
        if pending is not None:
            self.write(pending)

    def close(self) -> None:
        self._text = None

    def _read_disk(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""
        except OSError as exc:
            raise StoreError(f"The store {self.path} cannot be read: {exc.strerror}.") from None

    def _parse(self, text: str) -> dict[str, Any] | None:
        if not text.strip():
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StoreError(
                f"The store {self.path} is not valid JSON ({exc.msg} at line {exc.lineno}); "
                "restore it from a backup or set BRS_DB to another file."
            ) from None
        if not isinstance(data, dict):
            raise StoreError(f"The store {self.path} does not hold a TinyDB database.")
        return data

    def _write_disk(self, text: str) -> None:
        directory = self.path.parent
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(self.path), dir=directory)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileNotFoundError):
                os.chmod(tmp, self.path.stat().st_mode & 0o777)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        fsync_dir(directory)
        # Only now is `text` what the disk holds.
        self._text = text
