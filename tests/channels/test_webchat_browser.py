"""A youth completes the intake in Debian's Chromium, clicking buttons and typing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Page, async_playwright, expect

from bot.app import create_app
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.resources import of as resources_of

pytestmark = pytest.mark.browser


async def type_message(page: Page, text: str) -> None:
    await page.get_by_label("Ton message").fill(text)
    await page.get_by_role("button", name="Envoyer").click()


async def last_bot_says(page: Page, pattern: str) -> None:
    await expect(page.locator("#log li.bot").last).to_contain_text(re.compile(pattern))


async def test_youth_completes_the_intake_in_chromium(aiohttp_server: Any, settings: Any) -> None:
    server = await aiohttp_server(create_app(settings))
    url = str(server.make_url("/?src=affiche-pharmacie-etain"))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 390, "height": 844})
            page = await context.new_page()
            await page.goto(url)
            await type_message(page, "salut")
            await page.get_by_role("button", name="C'est parti").click()
            await last_bot_says(page, "prénom")
            await type_message(page, "Yanis")
            await last_bot_says(page, "quel âge")
            await type_message(page, "dix-huit ans")
            await last_bot_says(page, "commune")
            await type_message(page, "etain")
            await page.get_by_role("button", name="Une formation").click()
            await page.get_by_role("button", name="Ici, sur ce chat").click()
            await page.get_by_role("button", name="Le samedi").click()
            await last_bot_says(page, "Étain")
            await page.get_by_role("button", name="C'est bon").click()
            await last_bot_says(page, "J'ai transmis ta demande")

            # A reload shows the same conversation, from the store.
            await page.reload()
            await expect(page.locator("#log li.youth")).to_have_count(8)
            await last_bot_says(page, "J'ai transmis ta demande")
        finally:
            await browser.close()

    tickets = await resources_of(server.app).store.list_tickets("waiting")
    assert len(tickets) == 1
    assert tickets[0].source == "affiche-pharmacie-etain"
    assert tickets[0].snapshot["first_name"] == "Yanis"
    assert tickets[0].snapshot["need"] == "training"
