"""The coordinator's desk in Chromium: a poster's QR code leads a youth into the figures."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.app import create_app
from tests.support.browser import CHROMIUM, LiveServer, web_chat_intake
from tests.support.png import decode_qr

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@contextlib.asynccontextmanager
async def _server_at_its_public_url(make_settings: Any) -> AsyncIterator[LiveServer]:
    """The service on a port known in advance, so the poster's links point at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    app = create_app(make_settings(public_url=url))
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield LiveServer(app, url)
    finally:
        await runner.cleanup()


@pytest.fixture
async def server(make_settings: Any) -> AsyncIterator[LiveServer]:
    async with _server_at_its_public_url(make_settings) as running:
        yield running


async def test_a_poster_qr_code_brings_a_youth_counted_under_its_source(
    server: LiveServer, browser: Any
) -> None:
    claire = await server.add_staff("Claire Martin", role="coordinator")
    desk = await (await browser.new_context()).new_page()
    await server.login(desk, claire)

    # The coordinator creates the source from the dashboard.
    await desk.click("a.tab[href='/handoff/sources']")
    await desk.fill("#source-form input[name=label]", "Boulangerie de Stenay")
    await desk.select_option("#source-form select[name=kind]", "shop")
    await desk.fill("#source-form input[name=commune]", "Stenay")
    await desk.click("#source-form button[type=submit]")
    row = desk.locator("#sources tr", has_text="Boulangerie de Stenay")
    await row.wait_for()
    code = await row.get_attribute("data-code")
    assert code

    # Its poster, ready to print: the QR code read from a screenshot of the page.
    await row.locator("a", has_text="Affiche").click()
    await desk.wait_for_url(f"**/handoff/sources/{code}/poster")
    assert "Tu as entre 16 et 29 ans ?" in await desk.inner_text("#poster")
    link = decode_qr(await desk.locator("#poster-qr svg").screenshot())
    assert link == f"{server.url}/?src={code}"
    async with desk.expect_download() as download_info:
        await desk.click("#poster-png")
    download = await download_info.value
    png = await download.path()
    assert decode_qr(png.read_bytes()) == link

    # A youth scans it and goes through the intake on the website chat.
    youth = await (await browser.new_context()).new_page()
    await youth.goto(link)
    await web_chat_intake(youth)

    # Stenay is in the arrondissement of Verdun: her ticket goes to the Nord meusien team, and
    # the bot's closing message names it.
    closing = youth.locator("#log li.bot", has_text="équipe de ton secteur")
    assert "Mission locale du Nord meusien" in await closing.inner_text()
    [ticket] = await server.runtime.store.list_tickets("waiting")
    assert ticket.snapshot["structure"] == "nord-meusien"

    # The figures count her under the bakery.
    await desk.goto(f"{server.url}/handoff/figures")
    bar = desk.locator("#by-source .chart-row[data-label='Boulangerie de Stenay']")
    assert await bar.get_attribute("data-count") == "1"
    assert await desk.locator("#by-source_kind .chart-row[data-label='Commerce']").count() == 1
    assert " : 1 sur 300." in await desk.inner_text("#goal-text")
