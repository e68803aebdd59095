"""Reopening a closed ticket, on every backend."""

from __future__ import annotations

from bot.store.base import Store, ThreadEntry, TicketDraft, UnitOfWork
from tests.support.store import staff, with_ticket


async def test_a_closed_ticket_reopens_held_and_quiet(store: Store) -> None:
    conv, ticket_id = await with_ticket(store)
    anne = await staff(store, "anne@ml.example")
    assert await store.claim(ticket_id, anne.id, 3.0)
    assert await store.close_ticket(ticket_id, "registered", 4.0, holder=anne.id)
    closed = await store.get_conversation(conv.id)
    assert closed is not None and closed.mode == "bot"
    assert await store.reopen_ticket(ticket_id, anne.id, 5.0)
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None
    assert (ticket.status, ticket.assigned_to, ticket.outcome, ticket.closed_at) == (
        "assigned",
        anne.id,
        None,
        None,
    )
    again = await store.get_conversation(conv.id)
    assert again is not None and again.mode == "human" and again.ticket_id == ticket_id
    assert again.version > closed.version and again.ticket_holder == anne.id
    trail = await store.audit_trail([f"ticket:{ticket_id}"])
    assert [(e.actor, e.action, e.details) for e in trail][-1] == (
        f"staff:{anne.id}",
        "ticket_reopened",
        {},
    )
    # The youth's next line goes to the reopened ticket.
    await store.commit(
        UnitOfWork(conversation=again, thread=[ThreadEntry("in", "youth", "re")]), 6.0
    )
    assert (await store.thread(conv.id))[-1].ticket_id == ticket_id
    assert not await store.reopen_ticket(ticket_id, anne.id, 7.0)  # open already


async def test_no_reopening_over_an_open_ticket_or_after_erasure(store: Store) -> None:
    conv, first = await with_ticket(store)
    anne = await staff(store, "anne@ml.example")
    assert await store.close_ticket(first, "registered", 3.0, holder=None)
    done = await store.get_conversation(conv.id)
    assert done is not None
    done.mode = "waiting"
    result = await store.commit(
        UnitOfWork(conversation=done, open_ticket=TicketDraft("normal", "intake_done", {"a": 1})),
        4.0,
    )
    assert result.ticket_id is not None
    assert not await store.reopen_ticket(first, anne.id, 5.0)  # the youth has a newer one open
    assert await store.close_ticket(result.ticket_id, "registered", 6.0, holder=None)
    await store.erase_conversation(conv.id, 7.0, actor="staff:1", action="erase")
    assert not await store.reopen_ticket(first, anne.id, 8.0)
    assert not await store.reopen_ticket("nope", anne.id, 8.0)
