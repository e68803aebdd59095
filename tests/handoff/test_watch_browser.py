"""In Chromium: the alert on a held ticket left unanswered, the absent toggle, linking chats."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.settings import Settings
from handoff import SERVICE, WATCH
from tests.support.browser import CHROMIUM, LiveServer
from tests.support.clock import Clock

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@contextlib.asynccontextmanager
async def clocked_server(settings: Settings, clock: Clock) -> AsyncIterator[LiveServer]:
    """The real app on a free port, on a clock the test moves."""
    from bot.app import create_app

    runner = web.AppRunner(create_app(settings, clock=clock), shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield LiveServer(runner.app, f"http://127.0.0.1:{runner.addresses[0][1]}")
    finally:
        await runner.cleanup()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def server(make_settings: Any, clock: Clock) -> AsyncIterator[LiveServer]:
    # Open every day all day, so a few office minutes pass whenever the test runs.
    settings = make_settings(
        office_days="mon-sun", office_hours="00:00-23:59", unanswered_alert_minutes=30
    )
    async with clocked_server(settings, clock) as running:
        yield running


def _office_minutes_later(server: LiveServer, start: float, minutes: int) -> float:
    """The first instant `minutes` office minutes after `start`."""
    office = server.runtime.flow.office
    later, begin = start, datetime.datetime.fromtimestamp(start, office.tz)
    while (
        office.business_seconds_between(begin, datetime.datetime.fromtimestamp(later, office.tz))
        < minutes * 60
    ):
        later += 60
    return later


async def test_the_holder_sees_the_alert_on_an_unanswered_ticket_and_can_mark_absence(
    server: LiveServer, browser: Any, clock: Clock
) -> None:
    anne = await server.add_staff("Anne Martin")
    ticket = await server.seed_ticket("Lina")
    page = await (await browser.new_context()).new_page()
    await server.login(page, anne)
    await server.app[SERVICE].claim(ticket, anne)
    await page.wait_for_selector("#absence")
    assert await page.locator(".watch-alert").count() == 0
    clock.now = _office_minutes_later(server, clock.now, 31)
    assert await server.app[WATCH].check() == [(ticket, "holder")]
    alert = page.locator(f".watch-alert[data-ticket-id='{ticket}']")
    await alert.wait_for()
    assert "Lina attend votre réponse depuis" in await alert.inner_text()
    await alert.get_by_role("link").click()
    await page.wait_for_url(f"{server.url}/handoff/tickets/{ticket}")

    absence = page.locator("#absence")
    await absence.wait_for()
    assert await absence.get_attribute("aria-pressed") == "false"
    await absence.click()
    await page.wait_for_selector("#absence[aria-pressed='true']")
    assert "Vous êtes absent·e" in await page.locator("#toast").inner_text()
    records = await server.runtime.store.away_records([anne.id])
    assert records[anne.id].absent


async def test_a_counsellor_links_the_youths_other_chat_then_undoes_it(
    server: LiveServer, browser: Any
) -> None:
    anne = await server.add_staff("Anne Martin")
    web_ticket = await server.seed_ticket("Lina", said="bonjour", phone="+33612345678")
    await server.seed_ticket(
        "Lina", said="je vous écris d'ici aussi", channel="telegram", phone="+33612345678"
    )
    page = await (await browser.new_context()).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    await server.login(page, anne)
    await page.goto(f"{server.url}/handoff/tickets/{web_ticket}")
    candidate = page.locator("#links .link-candidate")
    await candidate.wait_for()
    assert "même téléphone" in await candidate.inner_text()
    await candidate.get_by_role("button", name="Lier").click()
    linked = page.locator("#links .linked-conversation")
    await linked.wait_for()
    assert "je vous écris d'ici aussi" in await linked.locator(".linked-thread").inner_text()
    assert await page.locator("#links .link-candidate").count() == 0
    await linked.get_by_role("button", name="Délier").click()
    await page.locator("#links .link-candidate").wait_for()
    assert await page.locator("#links .linked-conversation").count() == 0
