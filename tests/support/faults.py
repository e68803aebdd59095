"""Real faults for tests: another process-like writer holding the SQLite file."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path


@contextlib.asynccontextmanager
async def store_locked(path: Path) -> AsyncIterator[None]:
    """Hold the database's write lock, as a stuck writer would; the service cannot save."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    # In a thread: the service must keep running (and finish its own write) meanwhile.
    await asyncio.to_thread(conn.execute, "BEGIN IMMEDIATE")
    try:
        yield
    finally:
        await asyncio.to_thread(conn.execute, "ROLLBACK")
        conn.close()
