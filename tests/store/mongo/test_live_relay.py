"""Live events cross instances through MongoDB, by change stream or by polling."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.live import LiveEvent, LiveHub
from bot.store.mongo.live import MongoRelay
from bot.store.mongo.schema import EVENTS
from tests.support.mongo import mongo_store


async def _next(queue: asyncio.Queue[LiveEvent], timeout: float = 10.0) -> LiveEvent:
    return await asyncio.wait_for(queue.get(), timeout)


@pytest.mark.parametrize("watch", [True, False], ids=["change-stream", "polling"])
async def test_an_event_published_on_one_instance_reaches_the_other(
    tmp_path: Path, watch: bool
) -> None:
    async with mongo_store(tmp_path) as store:
        events = store.connection.db[EVENTS]
        a, b = LiveHub(MongoRelay(events, watch=watch)), LiveHub(MongoRelay(events, watch=watch))
        await a.start()
        await b.start()
        try:
            assert a.relay is not None and a.relay.mode == ("change stream" if watch else "polling")
            async with a.subscribe() as on_a, b.subscribe() as on_b:
                a.publish("message", conversation_id="c1", thread_id=7)
                assert await _next(on_a) == LiveEvent(
                    "message", {"conversation_id": "c1", "thread_id": 7}
                )
                got = await _next(on_b)
                assert got == LiveEvent("message", {"conversation_id": "c1", "thread_id": 7})
                b.publish("ticket_claimed", ticket_id="t1")
                assert (await _next(on_a)).kind == "ticket_claimed"
                # Each instance hears its own events once, directly, never back from the database.
                assert (await _next(on_b)).kind == "ticket_claimed"
                await asyncio.sleep(1.0)
                assert on_a.empty() and on_b.empty()
        finally:
            await a.stop()
            await b.stop()


async def test_the_store_offers_a_relay_on_its_database(tmp_path: Path) -> None:
    async with mongo_store(tmp_path) as store:
        relay = store.live_relay()
        assert relay.events.full_name.endswith(f".{EVENTS}")
