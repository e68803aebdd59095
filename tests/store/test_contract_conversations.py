"""The aggregate root on every backend: scratch, typed ticket changes, group commit, erasure."""

from __future__ import annotations

import pytest

from bot.events import Reply
from bot.store.base import (
    AlreadyProcessed,
    CloseTicket,
    CommitResult,
    Conflict,
    CounsellorReplied,
    SetAcknowledged,
    SetPriority,
    Store,
    UnitOfWork,
)
from tests.support.store import conversation, event, staff, with_ticket


async def test_scratch_values_are_stored_with_the_conversation(store: Store) -> None:
    conv = await conversation(store)
    conv.scratch = {"_return_to": "ask_age", "_candidates": ["Stenay", "Sassey"]}
    await store.commit(UnitOfWork(conversation=conv), 2.0)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None
    assert fresh.scratch == {"_return_to": "ask_age", "_candidates": ["Stenay", "Sassey"]}
    assert fresh.version == conv.version


async def test_the_conversation_mirrors_its_open_ticket(store: Store) -> None:
    conv, ticket_id = await with_ticket(store, priority="normal")
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None and fresh.ticket_id == ticket_id
    assert (fresh.ticket_status, fresh.ticket_holder, fresh.ticket_priority) == (
        "waiting",
        None,
        "normal",
    )
    anne = await staff(store, "anne@ml.example")
    assert await store.claim(ticket_id, anne.id, 3.0)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None
    assert (fresh.mode, fresh.ticket_status, fresh.ticket_holder) == ("human", "assigned", anne.id)
    alone = await conversation(store, user="u2")
    assert alone.ticket_id is None and alone.ticket_status is None


async def test_typed_ticket_changes_apply_with_the_step(store: Store) -> None:
    conv, ticket_id = await with_ticket(store)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None
    await store.commit(
        UnitOfWork(
            conversation=fresh, ticket_changes=[SetPriority("urgent"), SetAcknowledged(True)]
        ),
        3.0,
    )
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None and (ticket.priority, ticket.acked) == ("urgent", True)
    mirror = await store.get_conversation(conv.id)
    assert mirror is not None and (mirror.ticket_priority, mirror.ticket_acked) == ("urgent", True)

    await store.commit(
        UnitOfWork(conversation=mirror, ticket_changes=[CounsellorReplied(4.0)]), 4.0
    )
    await store.commit(
        UnitOfWork(conversation=mirror, ticket_changes=[CounsellorReplied(5.0)]), 5.0
    )
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None and ticket.acked is False
    assert ticket.first_reply_at == 4.0  # the first reply is kept

    await store.commit(
        UnitOfWork(conversation=mirror, ticket_changes=[CloseTicket("given_back", 6.0)]), 6.0
    )
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None
    assert (ticket.status, ticket.outcome, ticket.closed_at) == ("closed", "given_back", 6.0)


async def test_a_stale_commit_conflicts_and_writes_nothing(store: Store) -> None:
    conv = await conversation(store)
    stale = await store.get_conversation(conv.id)
    assert stale is not None
    conv.state = "ask_age"
    await store.commit(UnitOfWork(conversation=conv, replies=[Reply("Quel âge ?")]), 2.0)
    stale.state = "elsewhere"
    with pytest.raises(Conflict):
        await store.commit(UnitOfWork(conversation=stale, replies=[Reply("jamais")]), 3.0)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None and fresh.state == "ask_age"
    assert [line.text for line in await store.thread(conv.id)] == ["Quel âge ?"]
    assert await store.outbox_backlog() == 1


async def test_an_inbox_event_is_committed_once(store: Store) -> None:
    saved = await store.ingest(event(1), 1.0)
    assert saved is not None
    conv = await store.get_conversation(saved[0])
    assert conv is not None
    await store.commit(UnitOfWork(conversation=conv, inbox_id=saved[1]), 2.0)
    with pytest.raises(AlreadyProcessed):
        await store.commit(
            UnitOfWork(conversation=conv, inbox_id=saved[1], replies=[Reply("x")]), 3.0
        )
    assert await store.outbox_backlog() == 0


async def test_group_commit_applies_each_unit_on_its_own(store: Store) -> None:
    a = await conversation(store, user="a")
    b = await conversation(store, user="b")
    stale_b = await store.get_conversation(b.id)
    assert stale_b is not None
    b.state = "moved"
    await store.commit(UnitOfWork(conversation=b), 2.0)
    saved = await store.ingest(event(50, user="c"), 2.0)
    assert saved is not None
    c = await store.get_conversation(saved[0])
    assert c is not None
    version_a = a.version
    results = await store.commit_many(
        [
            UnitOfWork(conversation=a, replies=[Reply("pour a")]),
            UnitOfWork(conversation=stale_b, replies=[Reply("pour b")]),
            UnitOfWork(conversation=c, inbox_id=saved[1], replies=[Reply("pour c")]),
        ],
        3.0,
    )
    assert isinstance(results[0], CommitResult) and isinstance(results[2], CommitResult)
    assert isinstance(results[1], Conflict)
    assert a.version == version_a + 1
    assert [line.text for line in await store.thread(a.id)] == ["pour a"]
    assert await store.thread(b.id) == []
    assert await store.next_pending(c.id) is None
    again = await store.commit_many([UnitOfWork(conversation=c, inbox_id=saved[1])], 4.0)
    assert isinstance(again[0], AlreadyProcessed)


async def test_erase_conversation_leaves_anonymous_facts_only(store: Store) -> None:
    conv, ticket_id = await with_ticket(store, first_name="Maëlys")
    anne = await staff(store, "anne@ml.example")
    await store.add_note(ticket_id, anne.id, "Maëlys cherche un CAP", 3.0)
    await store.add_meeting(ticket_id, anne.id, "2026-12-01", "10:00", "Stenay", None, 3.0)
    stale = await store.get_conversation(conv.id)
    assert stale is not None
    still_open = await store.erase_conversation(conv.id, 4.0, actor="staff:1", action="erased_test")
    assert still_open == [ticket_id]
    assert await store.find_conversation("web", "u1") is None
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None
    assert (ticket.status, ticket.outcome, ticket.snapshot) == ("closed", "erased", {})
    assert await store.notes(ticket_id) == [] and await store.meetings(ticket_id) == []
    assert await store.thread(conv.id) == []
    erased = await store.get_conversation(conv.id)
    assert erased is not None and erased.profile == {} and erased.scratch == {}
    with pytest.raises(Conflict):
        await store.commit(UnitOfWork(conversation=stale, replies=[Reply("trop tard")]), 5.0)
    trail = await store.audit_trail([conv.id])
    assert [(e.actor, e.action, e.details) for e in trail][-1] == (
        "staff:1",
        "erased_test",
        {"tickets_closed": 1},
    )
    again = await store.ingest(event(99), 6.0)
    assert again is not None and again[0] != conv.id
