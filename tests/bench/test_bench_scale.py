"""The scale checks on a small scale: queue queries on generated rows, profile arithmetic."""

from __future__ import annotations

import asyncio
import datetime
import time
from pathlib import Path

from bench import queries
from bench.profile import IDLE, categorise, inclusive
from bot.officehours import OfficeHours
from bot.store.sqlite import SQLiteStore
from handoff.figures import Figures


async def test_queue_queries_run_on_generated_conversations(tmp_path: Path) -> None:
    result = await queries.run(tmp_path, conversations=5_000, seconds=60, repeats=3)
    assert result["conversations"] == 5_000
    tickets = result["tickets"]
    assert set(tickets) <= {"waiting", "assigned", "closed"}
    assert 1_500 < sum(tickets.values()) < 2_500  # about 40 % reached a counsellor
    assert len(result["queries"]) == 14
    assert sum(name.startswith("search:") for name in result["queries"]) == 5
    assert sum(name.startswith("figures:") for name in result["queries"]) == 3
    for timing in result["queries"].values():
        assert 0 < timing["p50_ms"] <= timing["p95_ms"] <= timing["p99_ms"]
    text = queries.markdown(result)
    assert "| search | not available yet |" not in text
    assert "| search: a phone number, every status |" in text
    assert "not available yet" not in text
    assert "| figures: last 365 days |" in text
    assert "waiting queue" in text


async def test_generated_rows_feed_every_figure(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    await store.close()
    assert queries.generate(store.path, 2_000, deadline=time.monotonic() + 60) == 2_000
    await store.open()
    try:
        figures = Figures(store, OfficeHours.parse(), yearly_goal=1000)
        today = datetime.date.today()
        start = today - datetime.timedelta(days=364)
        found = await figures.compute(start, today, None, time.time())
    finally:
        await store.close()
    funnel = found["funnel"]
    assert 1_950 < funnel["started"] <= 2_000  # the first day of 366 falls outside
    assert 0 < funnel["consented"] < funnel["started"]
    assert 0 < funnel["first_reply"] < funnel["claimed"] <= funnel["tickets"]
    assert set(funnel["closed_by_outcome"]) <= set(queries.OUTCOMES)
    assert found["times"]["claim"]["office_hours"]["count"] == funnel["claimed"]
    assert set(queries.SOURCES) <= set(found["breakdowns"]["source"])
    assert {"unknown", "none"} <= set(found["breakdowns"]["source"])


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
    shares = inclusive(collapsed)
    assert shares["engine: one event decided and committed"] == 0  # "handle", not Engine.handle
    assert shares["SQLite's connection threads"] == 25


def test_inclusive_shares_count_every_sample_a_function_is_on() -> None:
    collapsed = "\n".join(
        [
            "thread (1): MainThread;Engine.handle (bot/engine.py:70);read (bot/nlu/reading.py:9) 7",
            "thread (1): MainThread;Engine.handle (bot/engine.py:70) 3",
            "thread (1): MainThread;SQLiteDatabase._read_one (bot/store/sqlite/db.py:228) 4",
            "thread (1): MainThread;BaseSelectorEventLoop._read_from_self (asyncio/x.py:1) 9",
        ]
    )
    shares = inclusive(collapsed)
    assert shares["engine: one event decided and committed"] == 10
    assert shares["the reading of a message (NLU)"] == 7
    assert shares["store reads on the loop"] == 4  # not the loop's own _read_from_self
