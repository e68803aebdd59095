"""One process per SQLite data folder: an exclusive lock file held for the process's life."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from bot.store.errors import StoreUnavailable


class FolderLock:
    """`flock` on `<file>.lock`; the kernel drops it when the process ends, even on SIGKILL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise StoreUnavailable naming the folder; blocking-free."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise StoreUnavailable(
                f"another process (pid {holder}) already uses the data folder {self.path.parent} "
                "(MILOMOUV_DATA_DIR): stop it, or give this service its own folder"
            ) from None
        except OSError:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None
