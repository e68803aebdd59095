"""Presence in Chromium: the counsellor types (the youth's Messenger shows it), the youth reads
(the counsellor's line turns "Vu" without a reload)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from argon2 import PasswordHasher

from handoff import auth
from tests.support.browser import CHROMIUM, LiveServer, chromium, live_server
from tests.support.fake_meta import APP_SECRET, FakeGraph, envelope, meta_settings, sign

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
PAGE_ID = "104859234567890"


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
async def server(make_settings: Any, graph: FakeGraph) -> AsyncIterator[LiveServer]:
    async with live_server(make_settings(**meta_settings(graph))) as running:
        yield running


async def _read(server: LiveServer, user: str, at_ms: int) -> None:
    """Messenger's read event for this youth, posted and signed as Meta does."""
    payload = envelope(
        "page",
        PAGE_ID,
        {
            "sender": {"id": user},
            "recipient": {"id": PAGE_ID},
            "timestamp": at_ms,
            "read": {"watermark": at_ms},
        },
    )
    raw = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, APP_SECRET)}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{server.url}/webhooks/meta", data=raw, headers=headers) as resp:
            assert resp.status == 200


async def test_typing_reaches_messenger_and_the_read_shows_seen_live(
    server: LiveServer, graph: FakeGraph
) -> None:
    marie = await server.add_staff("Marie Dupont")
    ticket_id = await server.seed_ticket("Lina", channel="messenger")
    store = server.runtime.store
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None
    conversation = await store.get_conversation(ticket.conversation_id)
    assert conversation is not None
    user = conversation.user_id
    async with chromium() as browser:
        context = await browser.new_context()
        page = await context.new_page()
        await server.login(page, marie)
        await page.locator(f".card[data-ticket-id='{ticket_id}'] [data-claim]").click()
        await page.wait_for_selector("#reply-text")
        # The youth's Messenger was told a person joined, and sees "typing…" as Marie types.
        await page.locator(".msg-system", has_text="Marie, de l'équipe").wait_for()
        await page.type("#reply-text", "Tu es dispo demain ?", delay=20)
        deadline = time.monotonic() + 5
        actions: list[str] = []
        while time.monotonic() < deadline and not actions:
            actions = [
                c.body.get("sender_action") for c in graph.calls if "sender_action" in c.body
            ]
            await page.wait_for_timeout(50)
        assert actions == ["typing_on"]  # one indicator for a whole sentence typed
        await page.press("#reply-text", "Enter")
        line = page.locator(".msg-counsellor", has_text="Tu es dispo demain ?")
        await line.locator(".msg-status", has_text="Envoyé").wait_for()
        # Lina reads it on her phone: "Vu" appears without a reload.
        await _read(server, user, int((time.time() + 1) * 1000))
        await line.locator(".msg-status", has_text="Vu").wait_for()
        await context.close()
        assert browser.errors == []
