"""A conversation and its ticket read together, on every backend: the same as two reads."""

from __future__ import annotations

from bot.store.base import Store
from tests.support.store import conversation as fresh_conversation
from tests.support.store import event, staff, with_ticket


async def _separately(store: Store, conversation_id: str) -> tuple[object, object]:
    conversation = await store.get_conversation(conversation_id)
    ticket_id = conversation.ticket_id if conversation else None
    return conversation, await store.get_ticket(ticket_id) if ticket_id else None


async def test_with_a_ticket_as_it_moves(store: Store) -> None:
    conv, ticket_id = await with_ticket(store, territory="Verdun")
    conversation, ticket = await store.conversation_state(conv.id)
    assert ticket is not None and ticket.id == ticket_id and ticket.status == "waiting"
    assert (conversation, ticket) == await _separately(store, conv.id)
    anne = await staff(store, "anne@ml.example")
    assert await store.claim(ticket_id, anne.id, 3.0)
    conversation, ticket = await store.conversation_state(conv.id)
    assert ticket is not None and (ticket.status, ticket.assigned_to) == ("assigned", anne.id)
    assert (conversation, ticket) == await _separately(store, conv.id)
    assert await store.close_ticket(ticket_id, "registered", 4.0, holder=anne.id)
    conversation, ticket = await store.conversation_state(conv.id)
    assert ticket is not None and ticket.outcome == "registered" and ticket.closed_at == 4.0
    assert conversation is not None and conversation.ticket_status == "closed"
    assert (conversation, ticket) == await _separately(store, conv.id)


async def test_without_a_ticket_and_unknown(store: Store) -> None:
    conv = await fresh_conversation(store, "u-state")
    conversation, ticket = await store.conversation_state(conv.id)
    assert conversation == await store.get_conversation(conv.id) and ticket is None
    assert conversation is not None and conversation.ticket_id is None
    assert await store.conversation_state("no-such-conversation") == (None, None)


async def test_the_next_pending_event_with_its_state(store: Store) -> None:
    conv, ticket_id = await with_ticket(store, user="u-next")
    assert await store.next_pending_state(conv.id) is None  # its events are all processed
    saved = await store.ingest(event(9_001, user="u-next"), 5.0)
    assert saved is not None and saved[0] == conv.id
    later = await store.ingest(event(9_002, user="u-next"), 6.0)
    assert later is not None
    found = await store.next_pending_state(conv.id)
    assert found is not None
    row, (conversation, ticket) = found
    assert row == await store.next_pending(conv.id) and row.id == saved[1]
    assert row.event.event_id == "e9001"
    assert ticket is not None and ticket.id == ticket_id
    assert (conversation, ticket) == await _separately(store, conv.id)
    assert await store.next_pending_state("no-such-conversation") is None
