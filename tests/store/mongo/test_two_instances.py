"""Two store clients on one database, as two app instances behind a load balancer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from bot.events import InboundEvent, Reply
from bot.store.mongo import MongoStore
from bot.store.records import TicketDraft, UnitOfWork
from tests.support.mongo import drop_database, fresh_database_url

NOW = 1_800_000_000.0


@contextlib.asynccontextmanager
async def two_instances() -> AsyncIterator[tuple[MongoStore, MongoStore]]:
    url, standalone = fresh_database_url()
    a = MongoStore(url, allow_standalone=standalone)
    b = MongoStore(url, allow_standalone=standalone)
    await a.open()
    await b.open()
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()
        await drop_database(url)


def _event(n: int, user: str = "persona-lou") -> InboundEvent:
    return InboundEvent(channel="web", user_id=user, event_id=f"ev-{n}", kind="text", text="salut")


async def test_concurrent_ingest_of_one_youth_makes_one_conversation_and_dedups(
    tmp_path: Path,
) -> None:
    async with two_instances() as (a, b):
        # The platform redelivers every event to the other instance at the same moment.
        results = await asyncio.gather(
            *(store.ingest(_event(n), NOW) for n in range(6) for store in (a, b))
        )
        saved = [r for r in results if r is not None]
        assert len(saved) == 6
        assert len({conversation for conversation, _ in saved}) == 1
        assert len({inbox_id for _, inbox_id in saved}) == 6
        assert await a.pending_conversations() == [saved[0][0]]


async def test_claim_race_across_instances_has_one_winner(tmp_path: Path) -> None:
    async with two_instances() as (a, b):
        conversation_id, inbox_id = await a.ingest(_event(1), NOW)  # type: ignore[misc]
        c = await a.get_conversation(conversation_id)
        assert c is not None
        c.mode = "waiting"
        draft = TicketDraft("normal", "asked_human", {"commune": "Verdun"})
        result = await a.commit(UnitOfWork(c, inbox_id=inbox_id, open_ticket=draft), NOW)
        ticket_id = result.ticket_id
        assert ticket_id is not None
        wins = await asyncio.gather(
            *(store.claim(ticket_id, staff, NOW + 1) for staff in (1, 2, 3) for store in (a, b))
        )
        assert sorted(wins) == [False] * 5 + [True]
        ticket = await b.get_ticket(ticket_id)
        after = await b.get_conversation(conversation_id)
        assert ticket is not None and after is not None
        assert ticket.status == "assigned" and after.ticket_status == "assigned"
        assert after.ticket_holder == ticket.assigned_to and after.mode == "human"
        assert after.version == c.version + 1  # the claim moved the aggregate once


async def test_each_reply_is_owned_by_one_instance_until_its_lease_expires(
    tmp_path: Path,
) -> None:
    async with two_instances() as (a, b):
        ids = []
        for n in range(5):
            conversation_id, inbox_id = await a.ingest(_event(n, f"persona-{n}"), NOW)  # type: ignore[misc]
            c = await a.get_conversation(conversation_id)
            assert c is not None
            uow = UnitOfWork(c, inbox_id=inbox_id, replies=[Reply(text="Coucou !")])
            ids.extend((await a.commit(uow, NOW)).outbox_ids)
        heads = [item.id for item in await b.outbox_heads(NOW + 1)]
        assert sorted(heads) == sorted(ids)
        owned_a, owned_b = await asyncio.gather(
            a.outbox_claim(heads, "instance-a", NOW + 30),
            b.outbox_claim(heads, "instance-b", NOW + 30),
        )
        assert sorted(owned_a + owned_b) == sorted(ids)
        assert not set(owned_a) & set(owned_b)
        assert await b.outbox_heads(NOW + 2) == []
        # Instance A dies: B takes its replies back only once A's lease has expired.
        assert await b.outbox_recover(NOW + 29) == []
        assert sorted(await b.outbox_recover(NOW + 31)) == sorted(owned_a + owned_b)


async def test_a_dead_instances_conversation_lease_is_taken_over_after_expiry(
    tmp_path: Path,
) -> None:
    async with two_instances() as (a, b):
        assert await a.lease_conversation("conv-1", "instance-a", NOW + 10, NOW)
        assert not await b.lease_conversation("conv-1", "instance-b", NOW + 15, NOW + 5)
        assert await a.lease_conversation("conv-1", "instance-a", NOW + 20, NOW + 9)  # renewed
        assert not await b.lease_conversation("conv-1", "instance-b", NOW + 25, NOW + 15)
        assert await b.lease_conversation("conv-1", "instance-b", NOW + 35, NOW + 21)
        await a.release_conversation("conv-1", "instance-a")  # too late: not A's any more
        assert not await a.lease_conversation("conv-1", "instance-a", NOW + 40, NOW + 22)
        results = await asyncio.gather(
            a.try_lease("retention", "instance-a", NOW + 60, NOW),
            b.try_lease("retention", "instance-b", NOW + 60, NOW),
        )
        assert sorted(results) == [False, True]
