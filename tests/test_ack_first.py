"""Acknowledgements go before reply work: a webhook is answered while a backlog waits.

Ordering, not timing: what is asserted is which finished first, never how long it took.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.events import InboundEvent
from bot.headroom import Headroom
from bot.settings import Settings
from tests.support.fake_meta import FakeGraph, MetaYouth, envelope, meta_settings, post_webhook
from tests.support.fake_meta import settle as settle_all
from tests.support.resources import Resources

BACKLOG = 150


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
def settings(make_settings: Any, graph: FakeGraph) -> Settings:
    return make_settings(**meta_settings(graph))


async def test_a_webhook_is_acknowledged_while_the_dispatcher_has_a_backlog(
    client: TestClient, runtime: Resources, graph: FakeGraph
) -> None:
    backlog = [
        InboundEvent("messenger", f"{7000000000000000 + n}", f"m.backlog{n}", "text", text="salut")
        for n in range(BACKLOG)
    ]
    assert all(await asyncio.gather(*(runtime.ingest(e) for e in backlog)))
    youth = MetaYouth(client, graph, user_id="6789012345678999")
    message = youth.event(message={"mid": "m.late", "text": "salut"})
    resp = await post_webhook(client, envelope("page", youth.page_id, message))
    assert resp.status == 200
    # Answered while most of the backlog still waits for its reply.
    replied = sum(1 for e in backlog if graph.sent(e.user_id))
    assert runtime.dispatcher.processed < BACKLOG // 2 and replied < BACKLOG // 2
    await settle_all(client, seconds=60)
    assert all(graph.sent(e.user_id) for e in backlog)  # nothing lost, only later
    assert graph.sent(youth.user_id)


async def _busy_piece(headroom: Headroom | None, done: list[str], name: str) -> None:
    if headroom is not None:
        await headroom.wait()
    time.sleep(0.005)  # a CPU-bound step holding the loop, on purpose
    done.append(name)


async def _webhook(done: list[str], turns: int) -> None:
    """Something that needs a few turns of the loop, as a request's handling does."""
    for _ in range(turns):
        await asyncio.sleep(0)
    done.append("webhook")


@pytest.mark.parametrize("gated", [True, False])
async def test_pieces_of_reply_work_leave_turns_to_a_webhook(gated: bool) -> None:
    headroom = Headroom() if gated else None
    done: list[str] = []
    pieces = [asyncio.create_task(_busy_piece(headroom, done, f"piece{n}")) for n in range(40)]
    await asyncio.sleep(0)
    await _webhook(done, turns=5)
    await asyncio.gather(*pieces)
    position = done.index("webhook")
    if gated:
        # A few pieces per turn at most: the webhook's five turns pass before most of them.
        assert position < 20
        assert headroom is not None and headroom.backed_off > 0
    else:
        assert position == 40  # every ready piece runs in the first turn, ahead of it
