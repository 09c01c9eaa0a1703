"""One process owns a store file: an flock on "<db>.lock" that dies with its process."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from types import TracebackType

from store.storage import StoreError


class StoreLocked(StoreError):
    """Another process holds the store."""

    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = path
        self.pid = pid
        holder = f"process {pid}" if pid else "another process"
        super().__init__(
            f"The store {path} is in use by {holder}; "
            "stop that process or set BRS_DB to another file."
        )


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class ProcessLock:
    """Holds an exclusive, non-blocking flock on "<path>.lock" from construction to close().

    The file is left in place on release: deleting it would let two processes
    lock two different inodes of the same name.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock_file = lock_path(self.path)
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise StoreLocked(self.path, pid) from None
        except OSError:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def lost(self) -> str | None:
        """Why the lock no longer keeps other processes out (its file deleted or replaced: a
        second process would lock a new file of the same name), or None."""
        if self._fd is None:
            return f"the lock {self.lock_file} was released"
        try:
            now = os.stat(self.lock_file)
        except FileNotFoundError:
            return f"the lock file {self.lock_file} was deleted"
        mine = os.fstat(self._fd)
        if (now.st_dev, now.st_ino) != (mine.st_dev, mine.st_ino):
            return f"the lock file {self.lock_file} was replaced"
        return None

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the descriptor releases the flock

    def __enter__(self) -> ProcessLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _read_pid(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode("ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        # The holder may not have written its pid yet.
        return None
