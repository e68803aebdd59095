"""The scale checks on a small scale: queue queries on generated rows, profile arithmetic."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench import queries
from bench.profile import IDLE, categorise
from bot.store.sqlite import SQLiteStore


async def test_queue_queries_run_on_generated_conversations(tmp_path: Path) -> None:
    result = await queries.run(tmp_path, conversations=5_000, seconds=60, repeats=3)
    assert result["conversations"] == 5_000
    tickets = result["tickets"]
    assert set(tickets) <= {"waiting", "assigned", "closed"}
    assert 1_500 < sum(tickets.values()) < 2_500  # about 40 % reached a counsellor
    assert len(result["queries"]) == 7  # five queue queries, the figures over two periods
    for timing in result["queries"].values():
        assert 0 < timing["p50_ms"] <= timing["p95_ms"] <= timing["p99_ms"]
    text = queries.markdown(result)
    assert "| search | not available yet |" in text
    assert "| figures, the last 365 days |" in text
    assert "waiting queue" in text


def test_generation_stops_at_its_time_bound(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    asyncio.run(store.open())
    asyncio.run(store.close())
    assert queries.generate(store.path, 1_000_000, deadline=0.0) == 0


def test_profile_samples_go_to_the_leaf_most_matching_category() -> None:
    collapsed = "\n".join(
        [
            "thread (1): MainThread;run (asyncio/base_events.py:1);select (selectors.py:468) 50",
            "thread (1): MainThread;_run (asyncio/events.py:80);step (bot/flows/intake.py:9);"
            "sub (re/__init__.py:185) 5",
            "thread (1): MainThread;_run (asyncio/events.py:80);handle (bot/engine.py:70) 20",
            "thread (2): Thread-1;_connection_worker_thread (aiosqlite/core.py:63) 25",
            "not a sample line",
        ]
    )
    categories, leaves, total = categorise(collapsed)
    assert total == 100
    assert categories[IDLE] == 50
    assert categories["regular expressions"] == 5  # not the flow that called it
    assert categories["engine and units of work"] == 20
    assert categories["SQLite statement running in its thread (C code, I/O, fsync)"] == 25
    assert leaves.most_common(1)[0] == ("select (selectors.py:468)", 50)
