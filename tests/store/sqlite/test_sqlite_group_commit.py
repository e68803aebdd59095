"""SQLite: concurrent ingests share durable transactions; the dashboard lists use an index."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.events import Reply
from bot.store.base import UnitOfWork
from bot.store.sqlite import SQLiteStore
from tests.support.store import conversation, event, with_ticket


async def _trace(store: SQLiteStore, seen: list[str]) -> None:
    """Record every statement the writer connection runs (SQLite's own trace hook)."""
    conn = store._w
    assert conn is not None
    await conn._execute(lambda c: c.set_trace_callback(seen.append), conn._conn)


async def test_concurrent_ingests_share_one_durable_commit(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        seen: list[str] = []
        await _trace(store, seen)
        results = await asyncio.gather(
            *(store.ingest(event(n, user=f"u{n}"), 1.0) for n in range(100))
        )
        assert all(r is not None for r in results)
        commits = [s for s in seen if s.strip().upper() == "COMMIT"]
        fsynced = [s for s in seen if s.replace(" ", "").lower() == "pragmasynchronous=full"]
        assert 1 <= len(commits) < 10
        assert len(fsynced) == len(commits)
    finally:
        await store.close()
    # Every acknowledged event is in the file, read by another connection.
    conn = sqlite3.connect(tmp_path / "milomouv.sqlite3")
    try:
        assert conn.execute("SELECT COUNT(*) FROM inbox").fetchone()[0] == 100
    finally:
        conn.close()


async def test_concurrent_webhook_batches_share_durable_commits(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        seen: list[str] = []
        await _trace(store, seen)
        batches = [[event(10 * b + k, user=f"u{b}") for k in range(3)] for b in range(40)]
        results = await asyncio.gather(*(store.ingest_many(batch, 1.0) for batch in batches))
        assert all(r is not None for saved in results for r in saved)
        commits = [s for s in seen if s.strip().upper() == "COMMIT"]
        fsynced = [s for s in seen if s.replace(" ", "").lower() == "pragmasynchronous=full"]
        assert 1 <= len(commits) < 10 and len(fsynced) == len(commits)
        again = await store.ingest_many(batches[0], 2.0)  # a webhook sent again
        assert again == [None, None, None]
    finally:
        await store.close()
    conn = sqlite3.connect(tmp_path / "milomouv.sqlite3")
    try:
        assert conn.execute("SELECT COUNT(*) FROM inbox").fetchone()[0] == 120
    finally:
        conn.close()


async def test_replies_marked_sent_together_share_one_commit(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        ids = []
        for n in range(30):
            conv = await conversation(store, user=f"u{n}", n=n)
            done = await store.commit(UnitOfWork(conversation=conv, replies=[Reply("r")]), 2.0)
            ids.extend(done.outbox_ids)
        seen: list[str] = []
        await _trace(store, seen)
        await asyncio.gather(*(store.outbox_sent(i, 5.0 + i) for i in ids))
        commits = [s for s in seen if s.strip().upper() == "COMMIT"]
        assert 1 <= len(commits) < 5
    finally:
        await store.close()
    conn = sqlite3.connect(tmp_path / "milomouv.sqlite3")
    try:
        rows = conn.execute("SELECT id, status, sent_at FROM outbox ORDER BY id").fetchall()
        assert rows == [(i, "sent", 5.0 + i) for i in ids]  # each its own time
        sent = conn.execute("SELECT COUNT(*) FROM messages WHERE status = 'sent'").fetchone()
        assert sent[0] == len(ids)
    finally:
        conn.close()


async def test_a_failed_batch_fails_each_waiter_and_the_next_batch_works(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        await store.ingest(event(1), 1.0)
        w = store._w
        assert w is not None
        # A transaction left open by hand: BEGIN IMMEDIATE inside the batch then fails.
        await w._execute(lambda c: c.execute("BEGIN"), w._conn)
        outcome = await asyncio.gather(
            store.ingest(event(2), 2.0), store.ingest(event(3), 2.0), return_exceptions=True
        )
        assert all(isinstance(o, Exception) for o in outcome)
        await w._execute(lambda c: c.execute("ROLLBACK"), w._conn)
        assert await store.ingest(event(2), 3.0) is not None
    finally:
        await store.close()


async def test_dashboard_lists_read_an_index_in_their_own_order(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        for n in range(3):
            await with_ticket(store, f"u{n}")
        seen: list[str] = []
        r = store._r
        assert r is not None
        await r._execute(lambda c: c.set_trace_callback(seen.append), r._conn)
        for status in ("waiting", "assigned", "closed"):
            await store.queued(status)
        lists = [s for s in seen if "ORDER BY" in s and "FROM tickets" in s]
        assert len(lists) >= 3
    finally:
        await store.close()
    conn = sqlite3.connect(tmp_path / "milomouv.sqlite3")
    try:
        for sql in lists:
            plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert "TEMP B-TREE" not in plan, plan
            assert "_order" in plan, plan
    finally:
        conn.close()


async def test_the_senders_heads_read_only_unsettled_replies(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        await with_ticket(store, "u1")
        seen: list[str] = []
        r = store._r
        assert r is not None
        await r._execute(lambda c: c.set_trace_callback(seen.append), r._conn)
        assert await store.outbox_heads(10.0)
        await store.outbox_next_due()
        reads = [s for s in seen if "FROM outbox" in s]
        assert len(reads) == 2
    finally:
        await store.close()
    conn = sqlite3.connect(tmp_path / "milomouv.sqlite3")
    try:
        for sql in reads:
            plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
            assert "SCAN outbox" not in plan, plan  # the whole table, sent replies included
            assert any("outbox_unsettled" in step for step in plan), plan
    finally:
        conn.close()
