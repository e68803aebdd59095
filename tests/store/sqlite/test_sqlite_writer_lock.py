"""SQLite: the inbox's writes go before the other writes waiting for the writer connection."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.store.sqlite import SQLiteStore
from bot.store.sqlite.writer_lock import WriterLock
from tests.support.store import event


async def test_an_ingest_overtakes_writes_queued_before_it(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        conversation_id, _ = await store.ingest(event(1, user="u1"), 1.0) or ("", 0)
        order: list[str] = []
        await store._lock.acquire()  # the writer busy: everything below queues
        leases = [
            asyncio.create_task(_lease(store, conversation_id, f"w{n}", order)) for n in range(5)
        ]
        await asyncio.sleep(0)
        ingest = asyncio.create_task(_ingest(store, order))
        for _ in range(20):  # the group commit's task reaches the lock in a few loop turns
            await asyncio.sleep(0)
        assert len(store._lock._urgent) == 1 and len(store._lock._normal) == 5
        store._lock.release()
        await asyncio.gather(ingest, *leases)
        assert order[0] == "ingest"
        assert order[1:] == [f"w{n}" for n in range(5)]  # the others keep their order
    finally:
        await store.close()


async def _lease(store: SQLiteStore, conversation_id: str, owner: str, order: list[str]) -> None:
    await store.lease_conversation(conversation_id, owner, 100.0, 1.0)
    order.append(owner)


async def _ingest(store: SQLiteStore, order: list[str]) -> None:
    assert await store.ingest(event(2, user="u2"), 2.0) is not None
    order.append("ingest")


async def test_a_waiter_cancelled_in_the_queue_or_at_hand_over_never_keeps_the_lock() -> None:
    lock = WriterLock()
    await lock.acquire()
    queued = asyncio.create_task(lock.acquire())
    handed = asyncio.create_task(lock.acquire(urgent=True))
    await asyncio.sleep(0)
    queued.cancel()  # still queued: it leaves the queue
    lock.release()  # handed to the urgent waiter...
    handed.cancel()  # ...cancelled before it ran: it passes the lock on
    for task in (queued, handed):
        with pytest.raises(asyncio.CancelledError):
            await task
    assert not lock.locked()
    async with lock:
        assert lock.locked()
    assert not lock.locked()


async def test_a_waiter_cancelled_as_the_lock_is_released_gets_its_cancel() -> None:
    lock = WriterLock()
    await lock.acquire()
    waiter = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    waiter.cancel()  # cancelled, and the holder releases in the same turn
    lock.release()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert not lock.locked()
