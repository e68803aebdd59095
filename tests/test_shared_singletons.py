"""Work that must run on one instance at a time (retention) holds a named lease."""

from __future__ import annotations

from pathlib import Path

from bot.retention import INTERVAL_SECONDS, Retention
from bot.store.sqlite import SQLiteStore


async def test_retention_runs_on_one_instance_until_its_lease_expires(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    now = [1_000_000.0]
    a, b = (Retention(store, 30, 365, lambda: now[0], owner=name) for name in ("a", "b"))
    assert await a.run_if_leader() == (0, 0)
    assert await b.run_if_leader() is None
    now[0] += INTERVAL_SECONDS
    assert await a.run_if_leader() == (0, 0)  # renewed by its holder at each pass
    assert await b.run_if_leader() is None
    now[0] += 2 * INTERVAL_SECONDS  # "a" stopped passing: its instance died
    assert await b.run_if_leader() == (0, 0)
    assert await a.run_if_leader() is None
    await store.close()
