"""The writer's lock: one holder, webhooks first but never twice in a row while others wait."""

from __future__ import annotations

import asyncio

from bot.store.sqlite.writer_lock import WriterLock


async def _hold(lock: WriterLock, name: str, order: list[str], first: bool = False) -> None:
    async with lock.hold(first=first):
        order.append(name)
        await asyncio.sleep(0)


async def test_one_holder_at_a_time() -> None:
    lock, inside, most = WriterLock(), 0, 0

    async def work() -> None:
        nonlocal inside, most
        async with lock:
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            inside -= 1

    await asyncio.gather(*(work() for _ in range(20)))
    assert most == 1


async def test_first_waiters_pass_others_but_alternate_with_them() -> None:
    lock, order = WriterLock(), []
    await lock.__aenter__()  # held, so everyone below queues
    tasks = [asyncio.create_task(_hold(lock, f"o{n}", order)) for n in range(3)]
    tasks += [asyncio.create_task(_hold(lock, f"f{n}", order, first=True)) for n in range(3)]
    await asyncio.sleep(0)
    await lock.__aexit__(None, None, None)
    await asyncio.gather(*tasks)
    assert order == ["f0", "o0", "f1", "o1", "f2", "o2"]


async def test_a_cancelled_waiter_neither_holds_nor_blocks_the_lock() -> None:
    lock, order = WriterLock(), []
    await lock.__aenter__()
    gone = asyncio.create_task(_hold(lock, "gone", order, first=True))
    stays = asyncio.create_task(_hold(lock, "stays", order))
    await asyncio.sleep(0)
    gone.cancel()
    await asyncio.sleep(0)
    await lock.__aexit__(None, None, None)
    await asyncio.wait_for(stays, 1.0)
    assert order == ["stays"]
    await asyncio.wait_for(_hold(lock, "after", order), 1.0)
    assert order == ["stays", "after"]
