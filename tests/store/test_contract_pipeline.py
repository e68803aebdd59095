"""The store contract for the bot's pipeline: inbox, commit, outbox, erasure; every backend."""

from __future__ import annotations

import asyncio

import pytest

from bot.events import Button, Reply
from bot.store.base import Conflict, Store, TicketDraft, UnitOfWork
from tests.support.store import event


async def test_ingest_creates_one_conversation_per_user_and_dedups(store: Store) -> None:
    first = await store.ingest(event(1), 1.0)
    again = await store.ingest(event(1), 2.0)
    second = await store.ingest(event(2), 3.0)
    other = await store.ingest(event(3, user="u2"), 4.0)
    assert first is not None and second is not None and other is not None
    assert again is None
    assert first[0] == second[0] != other[0]
    assert await store.pending_conversations() == [first[0], other[0]]


async def test_same_event_id_on_another_channel_is_not_a_duplicate(store: Store) -> None:
    assert await store.ingest(event(1, channel="web"), 1.0)
    assert await store.ingest(event(1, channel="telegram"), 1.0)


async def test_ingest_many_is_one_unit_and_reports_duplicates(store: Store) -> None:
    results = await store.ingest_many([event(1), event(2), event(1)], 1.0)
    assert results[0] is not None and results[1] is not None and results[2] is None


async def test_pending_events_come_back_in_order_and_are_consumed_by_commit(store: Store) -> None:
    cid, _ = await store.ingest(event(1, text="a"), 1.0) or ("", 0)
    await store.ingest(event(2, text="b"), 2.0)
    row = await store.next_pending(cid)
    assert row is not None and row.event.text == "a"
    conv = await store.get_conversation(cid)
    assert conv is not None
    conv.state = "welcome"
    await store.commit(UnitOfWork(conversation=conv, inbox_id=row.id), 3.0)
    row2 = await store.next_pending(cid)
    assert row2 is not None and row2.event.text == "b"


async def test_commit_is_atomic_and_optimistic(store: Store) -> None:
    cid, inbox_id = await store.ingest(event(1), 1.0) or ("", 0)
    conv = await store.get_conversation(cid)
    assert conv is not None
    stale = await store.get_conversation(cid)
    assert stale is not None
    conv.profile = {"first_name": "Lina"}
    conv.mode = "waiting"
    result = await store.commit(
        UnitOfWork(
            conversation=conv,
            inbox_id=inbox_id,
            replies=[Reply("Bonjour", (Button("Oui", "YES"),))],
            open_ticket=TicketDraft("normal", "intake_done", {"first_name": "Lina"}, "Verdun"),
        ),
        2.0,
    )
    assert result.ticket_id is not None and len(result.outbox_ids) == 1
    with pytest.raises(Conflict):
        await store.commit(UnitOfWork(conversation=stale), 3.0)
    # The losing commit changed nothing.
    fresh = await store.get_conversation(cid)
    assert fresh is not None and fresh.profile == {"first_name": "Lina"}
    assert fresh.ticket_id == result.ticket_id
    ticket = await store.get_ticket(result.ticket_id)
    assert ticket is not None and ticket.status == "waiting" and ticket.territory == "Verdun"
    assert await store.next_pending(cid) is None


async def test_outbox_heads_keep_order_within_a_conversation(store: Store) -> None:
    cid, _ = await store.ingest(event(1), 1.0) or ("", 0)
    other, _ = await store.ingest(event(2, user="u2"), 1.0) or ("", 0)
    for c in (cid, other):
        conv = await store.get_conversation(c)
        assert conv is not None
        await store.commit(UnitOfWork(conversation=conv, replies=[Reply("1"), Reply("2")]), 2.0)
    heads = await store.outbox_heads(10.0)
    assert sorted(h.conversation_id for h in heads) == sorted([cid, other])
    assert all(h.reply.text == "1" for h in heads)
    first = next(h for h in heads if h.conversation_id == cid)
    await store.outbox_retry(first.id, 100.0, "timeout")
    # While the head waits for its retry, the next reply of that conversation waits too.
    heads = await store.outbox_heads(10.0)
    assert [h.conversation_id for h in heads] == [other]
    assert await store.outbox_next_due() == 2.0
    await store.outbox_sent(first.id, 101.0)
    heads = await store.outbox_heads(10.0)
    assert {h.reply.text for h in heads if h.conversation_id == cid} == {"2"}
    assert await store.outbox_backlog() == 3


async def test_failed_send_is_recorded_on_the_thread_line(store: Store) -> None:
    cid, _ = await store.ingest(event(1), 1.0) or ("", 0)
    conv = await store.get_conversation(cid)
    assert conv is not None
    await store.commit(UnitOfWork(conversation=conv, replies=[Reply("Coucou")]), 2.0)
    head = (await store.outbox_heads(5.0))[0]
    await store.outbox_failed(head.id, "person_unavailable", 6.0)
    line = (await store.thread(cid))[-1]
    assert (line.status, line.error) == ("failed", "person_unavailable")
    assert await store.outbox_backlog() == 0


async def test_erase_drops_personal_data_and_unlinks_the_user(store: Store) -> None:
    cid, _inbox_id = await store.ingest(event(1, text="Lina 06 12 34 56 78"), 1.0) or ("", 0)
    conv = await store.get_conversation(cid)
    assert conv is not None
    conv.profile = {"first_name": "Lina"}
    conv.mode = "waiting"
    await store.commit(
        UnitOfWork(
            conversation=conv,
            open_ticket=TicketDraft("normal", "intake_done", {"first_name": "Lina"}),
            replies=[Reply("Merci Lina")],
        ),
        2.0,
    )
    conv = await store.get_conversation(cid)
    assert conv is not None
    conv.profile, conv.mode, conv.state = {}, "bot", "new"
    await store.commit(
        UnitOfWork(conversation=conv, erase=True, forget_identity=True, replies=[Reply("Effacé")]),
        3.0,
    )
    assert await store.find_conversation("web", "u1") is None
    closed = await store.list_tickets("closed")
    assert len(closed) == 1 and closed[0].snapshot == {} and closed[0].outcome == "erased"
    assert all("Lina" not in line.text for line in await store.thread(cid))
    # The same person writing again starts afresh.
    again = await store.ingest(event(9), 4.0)
    assert again is not None and again[0] != cid


async def test_concurrent_commits_are_serialised(store: Store) -> None:
    ids = []
    for n in range(20):
        saved = await store.ingest(event(n, user=f"u{n}"), 1.0)
        assert saved is not None
        ids.append(saved[0])

    async def one(cid: str) -> None:
        conv = await store.get_conversation(cid)
        assert conv is not None
        await store.commit(UnitOfWork(conversation=conv, replies=[Reply("ok")]), 2.0)

    await asyncio.gather(*(one(c) for c in ids))
    assert await store.outbox_backlog() == 20


async def test_replies_in_flight_at_a_crash_are_recovered_and_block_their_successors(
    store: Store,
) -> None:
    cid, _ = await store.ingest(event(1), 1.0) or ("", 0)
    conv = await store.get_conversation(cid)
    assert conv is not None
    await store.commit(UnitOfWork(conversation=conv, replies=[Reply("1"), Reply("2")]), 2.0)
    head = (await store.outbox_heads(5.0))[0]
    assert await store.outbox_claim([head.id], "a", 10.0) == [head.id]
    # While "1" is in flight, "2" must not overtake it, nor be awaited by the clock.
    assert await store.outbox_heads(5.0) == []
    assert await store.outbox_next_due() is None
    assert await store.outbox_backlog() == 2
    # The process dies here; at the next start the uncertain reply is sent again, first.
    assert await store.outbox_recover(9.0) == []  # still leased
    assert await store.outbox_recover(10.0) == [head.id]
    again = await store.outbox_heads(5.0)
    assert [h.reply.text for h in again] == ["1"]
