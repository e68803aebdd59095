"""In Chromium: find last month's conversation by a word, open it, reopen it."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.events import InboundEvent
from bot.store.base import ThreadEntry, TicketDraft, UnitOfWork
from tests.support.browser import CHROMIUM, LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

MONTH = 30 * 86400


async def _last_months_ticket(server: LiveServer, staff_id: int) -> str:
    """A youth from Stenay who wrote five weeks ago; the ticket was closed the next day."""
    store, then = server.runtime.store, time.time() - 35 * 86400
    saved = await store.ingest(InboundEvent("web", "old-1", "old-1:1", "text", text="salut"), then)
    assert saved is not None
    conv = await store.get_conversation(saved[0])
    assert conv is not None
    card = {"first_name": "Maëlys", "age": 20, "commune": "Stenay", "need": "training"}
    conv.profile, conv.mode, conv.state = dict(card), "waiting", "done"
    result = await store.commit(
        UnitOfWork(
            conversation=conv,
            inbox_id=saved[1],
            thread=[ThreadEntry("in", "youth", "je vis à Stenay, je cherche une formation")],
            open_ticket=TicketDraft("normal", "intake_done", card),
        ),
        then,
    )
    assert result.ticket_id is not None
    assert await store.claim(result.ticket_id, staff_id, then + 60)
    assert await store.close_ticket(
        result.ticket_id, "registered_mission_locale", then + 86400, holder=None
    )
    return result.ticket_id


async def test_find_last_months_conversation_open_and_reopen_it(
    server: LiveServer, browser: Any
) -> None:
    marie = await server.add_staff("Marie Dupont")
    ticket_id = await _last_months_ticket(server, marie.id)
    await server.seed_ticket("Yanis", commune="Verdun")
    context = await browser.new_context()
    page = await context.new_page()
    await server.login(page, marie)

    await page.fill("#find-q", "Stenay")
    await page.press("#find-q", "Enter")
    await page.wait_for_url(f"{server.url}/handoff/find?*")
    cards = page.locator("#found li.card")
    assert await cards.count() == 1
    assert await cards.first.get_attribute("data-ticket-id") == ticket_id
    assert "Maëlys" in await cards.first.inner_text()

    await cards.first.locator("a.card-main").click()
    await page.wait_for_url(f"{server.url}/handoff/tickets/{ticket_id}")
    assert await page.locator("#status-pill").inner_text() != ""
    await page.click("#reopen")
    await page.wait_for_selector("#reopen", state="detached")
    assert await page.locator("#main").get_attribute("data-status") == "assigned"
    assert await page.locator("#main").get_attribute("data-mine") == "yes"

    ticket = await server.runtime.store.get_ticket(ticket_id)
    assert ticket is not None and ticket.status == "assigned" and ticket.assigned_to == marie.id
    conv = await server.runtime.store.get_conversation(ticket.conversation_id)
    assert conv is not None and conv.mode == "human" and conv.ticket_id == ticket_id
    await context.close()
