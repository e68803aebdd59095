"""Notes, meetings, canned replies, the audit log and retention on every backend."""

from __future__ import annotations

from bot.events import Reply
from bot.store.base import CannedReply, Store, UnitOfWork
from tests.support.store import conversation, staff, with_ticket


async def test_notes_and_meetings_belong_to_their_ticket(store: Store) -> None:
    _, ticket_id = await with_ticket(store)
    _, other = await with_ticket(store, user="u2")
    anne = await staff(store, "anne@ml.example")
    first = await store.add_note(ticket_id, anne.id, "rappeler lundi", 3.0)
    second = await store.add_note(ticket_id, anne.id, "CV envoyé", 4.0)
    assert [n.text for n in await store.notes(ticket_id)] == ["rappeler lundi", "CV envoyé"]
    assert first.id != second.id and await store.notes(other) == []
    meeting = await store.add_meeting(ticket_id, anne.id, "2026-12-01", "14:30", "Verdun", 7, 5.0)
    assert await store.meetings(ticket_id) == [meeting]
    assert meeting.ticket_id == ticket_id and meeting.message_id == 7


async def test_canned_replies_are_replaced_as_a_whole(store: Store) -> None:
    assert await store.canned_replies() == []
    await store.replace_canned_replies([CannedReply("A", "un"), CannedReply("B", "deux")])
    await store.replace_canned_replies([CannedReply("C", "trois"), CannedReply("A", "un")])
    assert await store.canned_replies() == [CannedReply("C", "trois"), CannedReply("A", "un")]


async def test_the_audit_trail_of_chosen_targets_in_order(store: Store) -> None:
    await store.audit("staff:1", "ticket_viewed", "ticket:x", {}, 1.0)
    await store.audit("staff:2", "ticket_claimed", "ticket:y", {"n": 1}, 2.0)
    await store.audit("staff:1", "message_sent", "ticket:x", {"message_id": 4}, 3.0)
    trail = await store.audit_trail(["ticket:x"])
    assert [(e.actor, e.action, e.details, e.at) for e in trail] == [
        ("staff:1", "ticket_viewed", {}, 1.0),
        ("staff:1", "message_sent", {"message_id": 4}, 3.0),
    ]
    assert await store.audit_trail([]) == []


async def test_retention_purges_idle_intakes_and_anonymises_old_closed_tickets(
    store: Store,
) -> None:
    idle = await conversation(store, user="idle", at=1.0)
    await store.commit(UnitOfWork(conversation=idle, replies=[Reply("Salut Lina")]), 1.0)
    recent = await conversation(store, user="recent", at=500.0)
    _, ticket_id = await with_ticket(store, user="closed", at=2.0)
    assert await store.close_ticket(ticket_id, "registered", 3.0, holder=None)
    assert await store.purge_unfinished(before=100.0, now=1000.0) == 1
    assert await store.find_conversation("web", "idle") is None
    assert await store.thread(idle.id) == []
    assert await store.find_conversation("web", "recent") is not None
    assert recent.ticket_id is None
    assert await store.anonymise_closed(before=100.0, now=1000.0) == 1
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None and ticket.snapshot == {} and ticket.status == "closed"
    assert ticket.outcome == "registered"  # the anonymous fact stays
    assert await store.find_conversation("web", "closed") is None
    assert await store.anonymise_closed(before=100.0, now=1001.0) == 0
