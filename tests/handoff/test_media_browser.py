"""Media in Chromium: a youth's CV photo sent on Messenger shows in the ticket; the counsellor
sends back a PDF, which the fake Messenger receives."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.settings import Settings
from tests.channels.test_media_meta import attachment
from tests.channels.test_meta_e2e import _intake_after_welcome
from tests.support.browser import CHROMIUM, LiveServer
from tests.support.fake_media import FakeGraphMedia, pdf, png
from tests.support.fake_meta import MetaYouth, meta_settings
from tests.support.resources import of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


class _Poster:
    """What MetaYouth needs of a test client, against the live server's real port."""

    def __init__(self, server: LiveServer, session: aiohttp.ClientSession) -> None:
        self.app = server.app
        self.server = server
        self.session = session

    async def post(self, path: str, **kw: Any) -> aiohttp.ClientResponse:
        resp = await self.session.post(f"{self.server.url}{path}", **kw)
        await resp.read()
        return resp


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphMedia]:
    async with FakeGraphMedia() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
def settings(make_settings: Any, graph: FakeGraphMedia) -> Settings:
    return make_settings(**meta_settings(graph))


async def _until(check: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_a_cv_photo_shown_inline_and_a_pdf_sent_back(
    server: LiveServer, graph: FakeGraphMedia, browser: Any
) -> None:
    store = of(server.app).store
    async with aiohttp.ClientSession() as session:
        youth = MetaYouth(_Poster(server, session), graph, platform="messenger")  # type: ignore[arg-type]
        await youth.say("salut")
        await _intake_after_welcome(youth)
        [ticket] = await store.list_tickets("waiting")
        marie = await server.add_staff("Marie Dupont")
        context = await browser.new_context()
        page = await context.new_page()
        await server.login(page, marie)
        await page.goto(f"{server.url}/handoff/tickets/{ticket.id}")
        await page.click("#claim")
        await page.wait_for_selector("#media-form:not([hidden])")

        cv = png(width=120, height=160, grey=200)
        message = {"mid": "m_cv_photo_1", "attachments": [attachment("image", graph.host(cv))]}
        await youth.send(youth.event(message=message))

        async def stored() -> bool:
            found = await store.conversation_media(ticket.conversation_id)
            return bool(found) and found[0].status == "stored"

        await _until(stored)
        [photo] = await store.conversation_media(ticket.conversation_id)
        await page.reload()
        image = page.locator(f'.msg-youth .media-image img[src="/handoff/media/{photo.id}"]')
        await image.wait_for()
        size = await image.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
        assert size == [True, 120, 160]  # the real picture, decoded from what the server sent
        async with context.expect_page() as opened:
            await image.click()
        full = await opened.value
        await full.wait_for_load_state()
        assert full.url == f"{server.url}/handoff/media/{photo.id}"

        plan = pdf("Plan pour venir a la Mission locale de Stenay")
        await page.set_input_files(
            "#media-file",
            files=[{"name": "plan-stenay.pdf", "mimeType": "application/pdf", "buffer": plan}],
        )
        await page.fill("#media-caption", "Voici le plan pour venir 🙂")
        await page.click("#media-send")
        await page.wait_for_url(f"{server.url}/handoff/tickets/{ticket.id}")

        async def delivered() -> bool:
            return bool(graph.uploads)

        await _until(delivered)
        [upload] = graph.uploads
        assert (upload.recipient, upload.data, upload.filename) == (
            youth.user_id,
            plan,
            "planstenay.pdf",
        )
        await page.reload()
        link = page.locator(".msg-counsellor .media-file")
        await link.wait_for()
        assert "Télécharger plan-stenay.pdf" in await link.inner_text()
        await context.close()
