"""One SQLite file under a supervisor: its processes share it, a dead one's leases are voided."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.base import StoreUnavailable
from bot.store.sqlite import SQLiteStore
from bot.store.sqlite.shared import SharedSQLiteStore, SupervisorSQLiteStore
from tests.support.store import conversation

FAR = 1e12  # a lease that would not expire during the test


async def test_the_processes_share_the_file_the_supervisor_locks(tmp_path: Path) -> None:
    supervisor = SupervisorSQLiteStore(tmp_path)
    await supervisor.open()
    try:
        with pytest.raises(StoreUnavailable, match="MILOMOUV_DATA_DIR"):
            await SQLiteStore(tmp_path).open()  # another service on the folder
        a, b = (
            SharedSQLiteStore(tmp_path, "milomouv.sqlite3"),
            SharedSQLiteStore(tmp_path, "milomouv.sqlite3"),
        )
        await a.open()
        await b.open()
        conv = await conversation(a)
        assert await a.lease_conversation(conv.id, "host:11:aa", FAR, 1.0)
        assert not await b.lease_conversation(conv.id, "host:12:bb", FAR, 2.0)
        await a.close()
        await b.close()
    finally:
        await supervisor.close()


async def test_a_dead_process_leases_are_voided_and_only_its_own(tmp_path: Path) -> None:
    supervisor = SupervisorSQLiteStore(tmp_path)
    await supervisor.open()
    child = SharedSQLiteStore(tmp_path, "milomouv.sqlite3")
    await child.open()
    try:
        dead, alive = await conversation(child), await conversation(child, user="u2")
        assert await child.lease_conversation(dead.id, "host:123:aa", FAR, 1.0)
        assert await child.lease_conversation(alive.id, "host:1234:bb", FAR, 1.0)
        assert await child.try_lease("alerts", "host:123:aa", FAR, 1.0)
        assert await child.try_lease("retention", "host:1234:bb", FAR, 1.0)

        await supervisor.void_leases_of("host:123:")

        assert await child.lease_conversation(dead.id, "host:99:cc", FAR, 2.0)
        assert await child.try_lease("alerts", "host:99:cc", FAR, 2.0)
        # Process 1234 is alive: a prefix is not a pid's first digits.
        assert not await child.lease_conversation(alive.id, "host:99:cc", FAR, 2.0)
        assert not await child.try_lease("retention", "host:99:cc", FAR, 2.0)
    finally:
        await child.close()
        await supervisor.close()


async def test_the_supervisor_clears_relay_sockets_left_by_a_crash(tmp_path: Path) -> None:
    live = tmp_path / "live"
    live.mkdir()
    (live / "4242.sock").touch()
    supervisor = SupervisorSQLiteStore(tmp_path)
    await supervisor.open()
    await supervisor.close()
    assert list(live.iterdir()) == []
