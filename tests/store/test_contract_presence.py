"""Read watermarks (the youth has seen our messages), on every backend."""

from __future__ import annotations

from bot.store.base import Store
from tests.support.store import with_ticket


async def test_the_read_watermark_only_moves_forward(store: Store) -> None:
    conv, _ = await with_ticket(store)
    other, _ = await with_ticket(store, user="other-youth")
    assert await store.seen_until(conv.id) is None
    assert await store.set_seen(conv.id, 100.5)
    assert await store.seen_until(conv.id) == 100.5
    assert not await store.set_seen(conv.id, 100.5)  # a redelivered read event
    assert not await store.set_seen(conv.id, 90.0)  # a late, older one
    assert await store.seen_until(conv.id) == 100.5
    assert await store.set_seen(conv.id, 200.25)
    assert await store.seen_until(conv.id) == 200.25
    assert await store.seen_until(other.id) is None  # per conversation
    assert await store.set_seen(other.id, 50.0)
    assert (await store.seen_until(conv.id), await store.seen_until(other.id)) == (200.25, 50.0)
