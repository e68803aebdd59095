"""Leases on every backend: one holder at a time, renewed by it, taken over once expired."""

from __future__ import annotations

import asyncio

from bot.store.base import Store
from tests.support.store import conversation


async def test_a_conversation_lease_has_one_holder_until_it_expires(store: Store) -> None:
    conv = await conversation(store)
    assert await store.lease_conversation(conv.id, "a", 10.0, 1.0)
    assert not await store.lease_conversation(conv.id, "b", 20.0, 5.0)
    assert await store.lease_conversation(conv.id, "a", 30.0, 9.0)  # renewed by its holder
    assert not await store.lease_conversation(conv.id, "b", 40.0, 29.0)
    assert await store.lease_conversation(conv.id, "b", 60.0, 30.0)  # "a" died: taken over
    assert not await store.lease_conversation(conv.id, "a", 70.0, 31.0)


async def test_a_released_conversation_lease_is_free_at_once(store: Store) -> None:
    conv = await conversation(store)
    assert await store.lease_conversation(conv.id, "a", 100.0, 1.0)
    await store.release_conversation(conv.id, "b")  # not b's to release
    assert not await store.lease_conversation(conv.id, "b", 100.0, 2.0)
    await store.release_conversation(conv.id, "a")
    assert await store.lease_conversation(conv.id, "b", 100.0, 3.0)


async def test_a_lease_does_not_move_the_conversation_version(store: Store) -> None:
    conv = await conversation(store)
    assert await store.lease_conversation(conv.id, "a", 100.0, 1.0)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None and fresh.version == conv.version


async def test_concurrent_takers_of_a_lease_get_one_winner(store: Store) -> None:
    conv = await conversation(store)
    won = await asyncio.gather(
        *(store.lease_conversation(conv.id, f"i{n}", 100.0, 1.0) for n in range(5))
    )
    assert sum(won) == 1
    singleton = await asyncio.gather(
        *(store.try_lease("alerts", f"i{n}", 100.0, 1.0) for n in range(5))
    )
    assert sum(singleton) == 1


async def test_a_named_lease_is_held_renewed_and_taken_over(store: Store) -> None:
    assert await store.try_lease("retention", "a", 10.0, 1.0)
    assert not await store.try_lease("retention", "b", 10.0, 2.0)
    assert await store.try_lease("alerts", "b", 10.0, 2.0)  # another name, another lease
    assert await store.try_lease("retention", "a", 20.0, 9.0)
    assert not await store.try_lease("retention", "b", 30.0, 19.0)
    assert await store.try_lease("retention", "b", 30.0, 20.0)
    await store.release_lease("retention", "a")  # no longer a's: nothing happens
    assert not await store.try_lease("retention", "a", 40.0, 21.0)
    await store.release_lease("retention", "b")
    assert await store.try_lease("retention", "a", 40.0, 22.0)
