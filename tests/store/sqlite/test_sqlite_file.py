"""What only the SQLite backend has: the file, WAL, its schema versions, reopening."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.base import StoreUnavailable
from bot.store.sqlite import DB_FILENAME, SQLiteStore
from tests.support.store import event


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    s = SQLiteStore(tmp_path)
    await s.open()
    yield s
    await s.close()


async def test_reopening_the_file_keeps_everything(tmp_path: Path) -> None:
    s = SQLiteStore(tmp_path)
    await s.open()
    await s.ingest(event(1), 1.0)
    await s.close()
    s2 = SQLiteStore(tmp_path)
    await s2.open()
    assert len(await s2.pending_conversations()) == 1
    assert await s2.ingest(event(1), 2.0) is None
    await s2.close()


async def test_corrupt_file_stops_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / DB_FILENAME).write_bytes(b"this is not a database" * 100)
    s = SQLiteStore(tmp_path)
    with pytest.raises(StoreUnavailable, match="MILOMOUV_DATA_DIR"):
        await s.open()


async def test_unwritable_location_stops_with_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    s = SQLiteStore(blocker / "sub")
    with pytest.raises(StoreUnavailable, match="cannot open"):
        await s.open()


async def test_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    conn.execute("PRAGMA user_version=999")
    conn.close()
    with pytest.raises(StoreUnavailable, match="newer"):
        await SQLiteStore(tmp_path).open()


async def test_wal_mode(store: SQLiteStore) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
