"""Unanswered held tickets, their alert steps and staff away records, on every backend."""

from __future__ import annotations

from bot.events import Reply
from bot.store.base import CounsellorReplied, Store, ThreadEntry, UnitOfWork
from tests.support.store import staff, with_ticket


async def _youth_writes(store: Store, conversation_id: str, at: float) -> None:
    conv = await store.get_conversation(conversation_id)
    assert conv is not None
    await store.commit(UnitOfWork(conversation=conv, thread=[ThreadEntry("in", "youth", "?")]), at)


async def _counsellor_answers(store: Store, conversation_id: str, staff_id: int, at: float) -> None:
    conv = await store.get_conversation(conversation_id)
    assert conv is not None
    await store.commit(
        UnitOfWork(
            conversation=conv,
            replies=[Reply("Bonjour", author="counsellor", staff_id=staff_id)],
            ticket_changes=[CounsellorReplied(at)],
        ),
        at,
    )


async def test_a_held_ticket_waits_from_its_claim_then_from_the_first_unanswered_line(
    store: Store,
) -> None:
    conv, ticket_id = await with_ticket(store)
    _, waiting_id = await with_ticket(store, "u2")
    anne = await staff(store, "anne@ml.example")
    assert await store.unanswered_claims() == []  # a waiting ticket is the queue's business
    await _youth_writes(store, conv.id, 2.5)
    assert await store.claim(ticket_id, anne.id, 3.0)
    [wait] = await store.unanswered_claims()
    assert (wait.ticket.id, wait.ticket.assigned_to, wait.since) == (ticket_id, anne.id, 3.0)
    await _counsellor_answers(store, conv.id, anne.id, 4.0)
    assert await store.unanswered_claims() == []
    await _youth_writes(store, conv.id, 10.0)
    await _youth_writes(store, conv.id, 11.0)
    [wait] = await store.unanswered_claims()
    assert wait.since == 10.0
    assert waiting_id != ticket_id


async def test_an_alert_step_is_recorded_once_per_wait(store: Store) -> None:
    assert await store.mark_watch("t1", "holder", 10.0, 20.0)
    assert not await store.mark_watch("t1", "holder", 10.0, 21.0)  # a restart, another instance
    assert await store.mark_watch("t1", "coordinator", 10.0, 22.0)
    assert await store.mark_watch("t1", "holder", 30.0, 40.0)  # a later wait alerts again
    assert await store.mark_watch("t2", "holder", 10.0, 20.0)


async def test_away_records_keep_the_first_instant_and_the_absent_mark(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    bob = await staff(store, "bob@ml.example")
    assert await store.away_records() == {}
    assert await store.mark_away(anne.id, 100.0) == 100.0
    assert await store.mark_away(anne.id, 150.0) == 100.0
    await store.clear_away(anne.id)
    assert await store.away_records([anne.id]) == {}
    await store.set_absent(bob.id, True, 200.0)
    assert await store.mark_away(bob.id, 250.0) == 200.0
    await store.clear_away(bob.id)  # a live session does not undo a hand-set absence
    [record] = (await store.away_records([bob.id, anne.id])).values()
    assert (record.staff_id, record.absent, record.since) == (bob.id, True, 200.0)
    await store.set_absent(bob.id, False, 300.0)
    assert await store.away_records() == {}


async def test_live_staff_are_those_with_a_recent_session(store: Store) -> None:
    from bot.store.base import Session

    anne = await staff(store, "anne@ml.example")
    bob = await staff(store, "bob@ml.example")
    await store.create_session(Session("h1", anne.id, "c", 10.0, 50.0))
    await store.create_session(Session("h2", bob.id, "c", 10.0, 10.0))
    assert await store.live_staff(40.0) == {anne.id}
    await store.delete_session("h1")
    assert await store.live_staff(0.0) == {bob.id}
