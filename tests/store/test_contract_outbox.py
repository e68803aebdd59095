"""Outbox claims on every backend: each reply owned by one sender, taken back only once expired."""

from __future__ import annotations

import asyncio

from bot.events import Reply
from bot.store.base import Store, UnitOfWork
from tests.support.store import conversation


async def _replies(store: Store, users: int, per_user: int = 1) -> list[int]:
    ids: list[int] = []
    for n in range(users):
        conv = await conversation(store, user=f"u{n}", n=n)
        result = await store.commit(
            UnitOfWork(conversation=conv, replies=[Reply(f"r{i}") for i in range(per_user)]), 2.0
        )
        ids.extend(result.outbox_ids)
    return ids


async def test_two_claimers_never_own_the_same_reply(store: Store) -> None:
    await _replies(store, 6)
    heads = [h.id for h in await store.outbox_heads(5.0)]
    assert len(heads) == 6
    a, b = await asyncio.gather(
        store.outbox_claim(heads, "instance-a", 100.0),
        store.outbox_claim(list(reversed(heads)), "instance-b", 100.0),
    )
    assert not set(a) & set(b)
    assert sorted(a + b) == sorted(heads)
    assert await store.outbox_heads(5.0) == []  # claimed: no longer offered
    assert await store.outbox_claim(heads, "instance-c", 100.0) == []


async def test_recovery_takes_back_expired_leases_only(store: Store) -> None:
    await _replies(store, 2)
    first, second = sorted(h.id for h in await store.outbox_heads(5.0))
    assert await store.outbox_claim([first], "dead", 10.0) == [first]
    assert await store.outbox_claim([second], "alive", 50.0) == [second]
    assert await store.outbox_recover(9.0) == []
    assert await store.outbox_recover(20.0) == [first]
    assert [h.id for h in await store.outbox_heads(20.0)] == [first]
    assert await store.outbox_recover(20.0) == []  # the live lease stays with its owner
    assert await store.outbox_recover(60.0) == [second]


async def test_a_settled_reply_is_never_recovered(store: Store) -> None:
    await _replies(store, 3)
    a, b, c = sorted(h.id for h in await store.outbox_heads(5.0))
    assert sorted(await store.outbox_claim([a, b, c], "me", 10.0)) == [a, b, c]
    await store.outbox_sent(a, 6.0)
    await store.outbox_retry(b, 30.0, "timeout")
    await store.outbox_failed(c, "blocked", 6.0)
    assert await store.outbox_recover(100.0) == []
    assert [h.id for h in await store.outbox_heads(31.0)] == [b]


async def test_the_thread_line_of_an_outbox_item(store: Store) -> None:
    conv = await conversation(store)
    result = await store.commit(UnitOfWork(conversation=conv, replies=[Reply("Coucou")]), 2.0)
    line_id = await store.thread_id_of_outbox(result.outbox_ids[0])
    assert [line.id for line in await store.thread(conv.id)] == [line_id]
    await store.outbox_sent(result.outbox_ids[0], 3.0)
    assert (await store.thread(conv.id))[0].status == "sent"


async def test_replies_marked_sent_together_are_each_settled(store: Store) -> None:
    ids = await _replies(store, 20)
    assert sorted(await store.outbox_claim(ids, "me", 10.0)) == sorted(ids)
    await asyncio.gather(*(store.outbox_sent(item_id, 6.0) for item_id in ids))
    assert await store.outbox_heads(100.0) == []
    assert await store.outbox_recover(1000.0) == []  # none left 'sending'
    assert await store.outbox_backlog() == 0
