"""Tickets on every backend: the queue, atomic claims, guarded moves, opaque ids."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.events import Reply
from bot.store.base import Conflict, Store, UnitOfWork
from tests.support.store import staff, with_ticket


async def test_ticket_ids_are_opaque_url_safe_strings(store: Store) -> None:
    ids = {(await with_ticket(store, user=f"u{n}"))[1] for n in range(5)}
    assert len(ids) == 5
    assert all(isinstance(i, str) and re.fullmatch(r"[A-Za-z0-9_-]{8,64}", i) for i in ids)
    assert not any(i.isdigit() for i in ids)
    assert await store.get_ticket("no-such-ticket") is None


async def test_two_counsellors_claiming_at_once_one_wins(store: Store) -> None:
    _, ticket_id = await with_ticket(store)
    anne = await staff(store, "anne@ml.example")
    bruno = await staff(store, "bruno@ml.example")
    won = await asyncio.gather(
        store.claim(ticket_id, anne.id, 3.0), store.claim(ticket_id, bruno.id, 3.0)
    )
    assert sorted(won) == [False, True]
    winner = anne.id if won[0] else bruno.id
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None and (ticket.status, ticket.assigned_to) == ("assigned", winner)
    assert ticket.claimed_at == 3.0
    assert not await store.claim(ticket_id, winner, 4.0)  # not waiting any more


async def test_a_move_refuses_a_step_computed_before_it(store: Store) -> None:
    conv, ticket_id = await with_ticket(store)
    before = await store.get_conversation(conv.id)
    assert before is not None
    anne = await staff(store, "anne@ml.example")
    assert await store.claim(ticket_id, anne.id, 3.0)
    with pytest.raises(Conflict):
        await store.commit(UnitOfWork(conversation=before, replies=[Reply("bot")]), 4.0)


async def test_moves_are_guarded_by_the_holder(store: Store) -> None:
    conv, ticket_id = await with_ticket(store, territory="Verdun")
    anne = await staff(store, "anne@ml.example")
    bruno = await staff(store, "bruno@ml.example")
    assert await store.claim(ticket_id, anne.id, 3.0)
    assert not await store.assign(ticket_id, bruno.id, 4.0, holder=bruno.id)
    assert await store.assign(ticket_id, bruno.id, 4.0, holder=anne.id)
    assert not await store.requeue(ticket_id, "Stenay", 5.0, holder=anne.id)
    assert await store.requeue(ticket_id, "Stenay", 5.0, holder=bruno.id)
    queued = await store.queued_one(ticket_id)
    assert queued is not None
    assert (queued.ticket.status, queued.ticket.assigned_to, queued.ticket.territory) == (
        "waiting",
        None,
        "Stenay",
    )
    assert queued.waiting_since == 5.0
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None and fresh.mode == "waiting"
    assert not await store.close_ticket(ticket_id, "done", 6.0, holder=anne.id)
    assert await store.close_ticket(ticket_id, "registered", 6.0, holder=None)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None
    assert (fresh.mode, fresh.state, fresh.ticket_status) == ("bot", "done", "closed")
    assert not await store.claim(ticket_id, anne.id, 7.0)
    assert not await store.close_ticket(ticket_id, "again", 7.0, holder=None)


async def test_the_queue_puts_urgent_first_then_the_longest_waiting(store: Store) -> None:
    _, old = await with_ticket(store, user="a", at=2.0)
    _, urgent = await with_ticket(store, user="b", priority="urgent", at=3.0)
    _, young = await with_ticket(store, user="c", at=4.0)
    assert [q.ticket.id for q in await store.queued("waiting")] == [urgent, old, young]
    anne = await staff(store, "anne@ml.example")
    assert await store.claim(old, anne.id, 5.0)
    assert await store.requeue(old, None, 6.0, holder=anne.id)  # back in line, at the end
    assert [q.ticket.id for q in await store.queued("waiting")] == [urgent, young, old]
    assert await store.claim(young, anne.id, 7.0)
    assert [q.ticket.id for q in await store.queued("assigned", assigned_to=anne.id)] == [young]
    assert await store.queued("assigned", assigned_to=anne.id + 1) == []


async def test_an_overdue_ticket_is_flagged_once(store: Store) -> None:
    _, ticket_id = await with_ticket(store)
    assert await store.mark_alerted(ticket_id, 10.0)
    assert not await store.mark_alerted(ticket_id, 11.0)
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None and ticket.alerted_at == 10.0
    _, claimed = await with_ticket(store, user="u2")
    anne = await staff(store, "anne@ml.example")
    assert await store.claim(claimed, anne.id, 3.0)
    assert not await store.mark_alerted(claimed, 10.0)


async def test_a_conversation_keeps_every_ticket_it_had(store: Store) -> None:
    conv, first = await with_ticket(store, territory="Verdun")
    assert await store.close_ticket(first, "registered", 3.0, holder=None)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None
    from bot.store.base import TicketDraft

    fresh.mode = "waiting"
    second = await store.commit(
        UnitOfWork(conversation=fresh, open_ticket=TicketDraft("normal", "again", {}, "Stenay")),
        4.0,
    )
    tickets = await store.conversation_tickets(conv.id)
    assert [t.id for t in tickets] == [first, second.ticket_id]
    await staff(store, "anne@ml.example", territory="Bar-le-Duc")
    assert await store.territories() == ["Bar-le-Duc", "Stenay", "Verdun"]
