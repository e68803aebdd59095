"""The chat bubble on a partner's page, in Debian's Chromium: listed origins only."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import Page, expect

from bot.channels.webchat import token_id
from tests.support.browser import chromium, live_server

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body><h1>{title}</h1><a href="/{other}.html">Page suivante</a>
<script src="{service}/widget.js" data-src="site-partenaire" async></script></body></html>"""


@contextlib.asynccontextmanager
async def host_site(service: dict[str, str]) -> AsyncIterator[str]:
    """A partner's site on its own loopback port: two pages carrying the one-line snippet.

    `service["url"]` is read when a page is served: the service starts after the site, since
    its settings name the site's origin.
    """

    async def page(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        other = "b" if name == "a" else "a"
        html = HOST_PAGE.format(title=f"Partenaire {name}", other=other, service=service["url"])
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{name:[ab]}.html", page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        # "localhost" is another site than the service's 127.0.0.1: a real third-party frame.
        yield f"http://localhost:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def _chat(page: Page) -> Any:
    return page.frame_locator("#milomouv-panel iframe")


async def _open_bubble(page: Page) -> None:
    bubble = page.get_by_role("button", name="Ouvrir le chat MiloMouv'")
    await bubble.focus()
    await page.keyboard.press("Enter")  # keyboard only
    await expect(page.locator("#milomouv-bubble")).to_have_attribute("aria-expanded", "true")


async def test_listed_partner_shows_the_bubble_and_chats_across_pages(make_settings: Any) -> None:
    service: dict[str, str] = {}
    async with host_site(service) as listed, host_site(service) as unlisted:
        settings = make_settings(embed_origins=listed)
        async with live_server(settings) as running, chromium() as browser:
            service["url"] = running.url
            context = await browser.new_context(viewport={"width": 390, "height": 844})
            errors = browser.errors  # script errors and CSP refusals, in any page or frame
            page = await context.new_page()
            await page.goto(f"{listed}/a.html")
            await _open_bubble(page)
            box = await page.locator("#milomouv-panel").bounding_box()
            assert box is not None and box["width"] == 390  # a phone: the whole screen
            chat = _chat(page)
            await chat.get_by_label("Ton message").fill("salut")
            await chat.get_by_role("button", name="Envoyer").click()
            await expect(chat.locator("#log li.bot").first).to_be_visible()

            # Closed, then another page of the same site: the same conversation, kept in the
            # frame's own storage.
            panel = page.locator("#milomouv-panel")
            await chat.get_by_label("Ton message").press("Escape")  # from inside the frame
            await expect(panel).to_be_hidden()
            await expect(page.locator("#milomouv-bubble")).to_be_focused()
            await _open_bubble(page)
            await panel.get_by_role("button", name="Fermer le chat").click()
            await expect(panel).to_be_hidden()
            await page.get_by_role("link", name="Page suivante").click()
            await page.wait_for_url(re.compile(r"/b\.html$"))
            await _open_bubble(page)
            chat = _chat(page)
            # (the greeting itself is not kept in the thread; the bot's answer is)
            await expect(chat.locator("#log li.bot").first).to_contain_text("Salut 👋")
            await expect(chat.locator("#hint")).to_be_hidden()

            # The partner's code came along with the conversation.
            cookie = await page.frames[-1].evaluate("() => document.cookie")
            token = cookie.partition("milomouv_chat=")[2].partition(";")[0]
            stored = await running.runtime.store.find_conversation("web", token_id(token))
            assert stored is not None and stored.source == "site-partenaire"

            # A shared device: forgetting leaves nothing for the next person.
            await chat.get_by_role("button", name="Oublier cette conversation").click()
            await expect(chat.locator("#log li")).to_have_count(0)
            await page.reload()
            await _open_bubble(page)
            await expect(_chat(page).locator("#hint")).to_be_visible()
            await expect(_chat(page).locator("#log li")).to_have_count(0)
            assert errors == []

            # The same snippet on a site that is not listed: the browser refuses the frame.
            other = await context.new_page()
            await other.goto(f"{unlisted}/a.html")
            await _open_bubble(other)
            for _ in range(100):
                if any("frame-ancestors" in e for e in errors):
                    break
                await asyncio.sleep(0.05)
            assert any("frame-ancestors" in e for e in errors), errors
            assert await _chat(other).locator("#text").count() == 0
