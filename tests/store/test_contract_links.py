"""Linking two conversations of the same youth, on every backend."""

from __future__ import annotations

from bot.store.base import Store
from tests.support.store import conversation, staff


async def test_a_link_is_made_once_read_from_both_sides_and_undone(store: Store) -> None:
    a = await conversation(store, "u1")
    b = await conversation(store, "u2")
    c = await conversation(store, "u3")
    anne = await staff(store, "anne@ml.example")
    assert await store.linked_conversations(a.id) == []
    assert await store.link_conversations(b.id, a.id, anne.id, 5.0)
    assert not await store.link_conversations(a.id, b.id, anne.id, 6.0)  # already linked
    assert not await store.link_conversations(a.id, a.id, anne.id, 6.0)
    assert not await store.link_conversations(a.id, "nope", anne.id, 6.0)
    assert await store.link_conversations(a.id, c.id, anne.id, 7.0)
    assert await store.linked_conversations(a.id) == [b.id, c.id]
    assert await store.linked_conversations(b.id) == [a.id]
    assert await store.unlink_conversations(b.id, a.id, anne.id, 8.0)
    assert not await store.unlink_conversations(a.id, b.id, anne.id, 9.0)
    assert await store.linked_conversations(b.id) == []
    assert await store.linked_conversations(a.id) == [c.id]
    first, second = sorted([a.id, b.id])
    trail = await store.audit_trail([f"conversation:{first}"])
    pair = {"with": f"conversation:{second}"}
    assert [(e.actor, e.action) for e in trail if e.details == pair] == [
        (f"staff:{anne.id}", "conversations_linked"),
        (f"staff:{anne.id}", "conversations_unlinked"),
    ]


async def test_erasing_a_conversation_drops_its_links(store: Store) -> None:
    a = await conversation(store, "u1")
    b = await conversation(store, "u2")
    anne = await staff(store, "anne@ml.example")
    assert await store.link_conversations(a.id, b.id, anne.id, 5.0)
    await store.erase_conversation(b.id, 6.0, actor="staff:1", action="erase")
    assert await store.linked_conversations(a.id) == []
