"""The bot texts in Chromium: the coordinator rewrites the welcome, a youth reads it, rollback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import CHROMIUM, LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

NEW = (
    "Hello 👋 Ici MiloMouv', l'équipe qui aide les 16-29 ans en Meuse.\nTes données : {privacy_url}"
)


async def _first_bot_line(browser: Any, url: str) -> str:
    youth = await (await browser.new_context()).new_page()
    await youth.goto(url)
    await youth.fill("#text", "salut")
    await youth.press("#text", "Enter")
    line = youth.locator("#log li.bot").first
    await line.wait_for()
    text = await line.inner_text()
    await youth.context.close()
    return text


async def test_the_coordinator_changes_the_welcome_and_a_youth_reads_it_then_rolls_back(
    server: LiveServer, browser: Any
) -> None:
    claire = await server.add_staff("Claire Martin", role="coordinator")
    desk = await (await browser.new_context()).new_page()
    await server.login(desk, claire)

    await desk.click("a.tab[href='/handoff/texts']")
    await desk.fill("#text-query", "salut assistant automatique")
    await desk.press("#text-query", "Enter")
    await desk.click("#section-welcome a[href='/handoff/texts/welcome.text']")
    await desk.wait_for_url("**/handoff/texts/welcome.text")
    assert "{privacy_url}" in await desk.inner_text(".text-help")

    # Without its placeholder the text is refused, with the reason, before any save.
    await desk.fill("#text-value", "Hello 👋 Ici MiloMouv'.")
    await desk.locator("#text-problems", has_text="Il manque le champ {privacy_url}").wait_for()

    # The preview shows each channel, sample link in place, buttons under it.
    await desk.fill("#text-value", NEW)
    web = desk.locator(".preview-web .bubble", has_text="l'équipe qui aide les 16-29 ans")
    await web.wait_for()
    assert "https://exemple.fr/confidentialite" in await web.inner_text()
    assert await desk.locator("#text-problems").count() == 0
    messenger = desk.locator(".preview-messenger")
    assert "Hello 👋 Ici MiloMouv'" in await messenger.locator(".bubble").inner_text()
    assert await messenger.locator(".quick-reply").all_inner_texts() == [
        "C'est parti 🚀",
        "C'est quoi ?",
        "Non merci",
    ]
    assert await desk.locator(".preview-telegram .key").count() == 3

    await desk.click("#text-save")
    await desk.locator("#text-history li[data-version='1']", has_text="Claire Martin").wait_for()
    assert "Hello 👋 Ici MiloMouv'" in await _first_bot_line(browser, server.url)

    # Back to the file's sentence: a new version, and the next youth reads the original.
    await desk.click("#text-reset")
    await desk.locator("#text-history li[data-version='2']", has_text="Retour au texte").wait_for()
    assert (await _first_bot_line(browser, server.url)).startswith("Salut 👋")
    trail = await server.runtime.store.audit_trail(["text:welcome.text"])
    assert [e.action for e in trail] == ["text_saved", "text_rolled_back"]
