"""The settings pages in Chromium: a counsellor joins through a one-time link; replies reordered."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from handoff import SERVICE
from tests.support.browser import CHROMIUM, LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

CHOSEN = "le lac de madine en hiver"
CHANGED = "trois pommes et un velo"


async def _sign_in(page: Any, server: LiveServer, email: str, password: str) -> None:
    await page.goto(f"{server.url}/handoff/login")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url(f"{server.url}/handoff/")


async def test_a_coordinator_adds_a_counsellor_who_sets_then_changes_a_password(
    server: LiveServer, browser: Any
) -> None:
    claire = await server.add_staff("Claire Martin", role="coordinator")
    desk = await (await browser.new_context()).new_page()
    await server.login(desk, claire)

    # The coordinator adds Zoé and gets the one-time link to pass on.
    await desk.click("a.tab[href='/handoff/accounts']")
    await desk.fill("#account-form input[name=display_name]", "Zoé Invent")
    await desk.fill("#account-form input[name=email]", "zoe.invent@ml-nord-meusien.fr")
    await desk.select_option("#account-form select[name=role]", "counsellor")
    await desk.select_option("#account-form select[name=structure]", "sud-meusien")
    await desk.click("#account-form button[type=submit]")
    await desk.wait_for_selector("#reset-link:not([hidden])")
    link = await desk.input_value("#reset-link-url")
    assert "/handoff/reset?token=" in link and "Zoé Invent" in await desk.inner_text("#reset-link")
    store = server.runtime.store
    zoe_id = next(s.id for s in await store.list_staff() if s.display_name == "Zoé Invent")
    assert (await store.memberships())[zoe_id] == "sud-meusien"

    # She moves to the Nord meusien team from her line of the table.
    await desk.reload()
    row = desk.locator(f"#accounts tr[data-id='{zoe_id}']")
    await row.locator("select.account-structure").select_option("nord-meusien")
    await row.locator(".account-structure-save").click()
    await desk.wait_for_selector("text=Structure modifiée.")
    assert (await store.memberships())[zoe_id] == "nord-meusien"

    # Zoé opens it and chooses her password; the link is spent.
    parts = urlsplit(link)
    reset_url = f"{server.url}{parts.path}?{parts.query}"
    zoe = await (await browser.new_context()).new_page()
    await zoe.goto(reset_url)
    await zoe.fill("#password", "azertyuiop")  # a common password: refused with the reason
    await zoe.fill("#password2", "azertyuiop")
    await zoe.click("#reset-form button[type=submit]")
    await zoe.wait_for_selector("#form-error:not([hidden])")
    assert "plus courants" in await zoe.inner_text("#form-error")
    await zoe.fill("#password", CHOSEN)
    await zoe.fill("#password2", CHOSEN)
    await zoe.click("#reset-form button[type=submit]")
    await zoe.wait_for_selector("#form-ok:not([hidden])")
    again = await zoe.goto(reset_url)
    assert again is not None and again.status == 403

    # She signs in with it, then changes it herself from her own page.
    await _sign_in(zoe, server, "zoe.invent@ml-nord-meusien.fr", CHOSEN)
    await zoe.click("#nav-password")
    await zoe.wait_for_url(f"{server.url}/handoff/password")
    await zoe.fill("#current", CHOSEN)
    await zoe.fill("#password", CHANGED)
    await zoe.fill("#password2", CHANGED)
    await zoe.click("#password-form button[type=submit]")
    await zoe.wait_for_selector("#form-ok:not([hidden])")
    assert "Mot de passe changé" in await zoe.inner_text("#form-ok")

    fresh = await (await browser.new_context()).new_page()
    await _sign_in(fresh, server, "zoe.invent@ml-nord-meusien.fr", CHANGED)
    assert "Zoé Invent" in await fresh.inner_text("header .who")


async def test_a_coordinator_reorders_canned_replies_with_the_keyboard(
    server: LiveServer, browser: Any
) -> None:
    claire = await server.add_staff("Claire Martin", role="coordinator")
    await server.app[SERVICE].set_canned_replies(
        claire,
        [
            ("Bonjour", "Bonjour, je suis là."),
            ("Rendez-vous", "On se voit mardi ?"),
            ("Merci", "Merci à toi."),
        ],
    )
    desk = await (await browser.new_context()).new_page()
    await server.login(desk, claire)
    await desk.click("a.tab[href='/handoff/canned']")
    await desk.wait_for_url(f"{server.url}/handoff/canned")

    from playwright.async_api import expect  # like the browser itself: only where it runs

    titles = "#canned-items .canned-item input[name=title]"

    async def order() -> list[str]:
        return [await el.input_value() for el in await desk.query_selector_all(titles)]

    # "Merci" goes up twice, by keyboard only: focus its button, press Enter, again.
    await desk.focus("button[aria-label='Monter « Merci »']")
    await desk.keyboard.press("Enter")
    await expect(desk.locator(titles).nth(1)).to_have_value("Merci")
    await desk.keyboard.press("Enter")  # the focus stayed on the moved reply's button
    await expect(desk.locator(titles).first).to_have_value("Merci")
    assert await order() == ["Merci", "Bonjour", "Rendez-vous"]
    assert await desk.is_disabled("button[aria-label='Monter « Merci »']")

    # The order holds after a reload, and counsellors' lists follow it.
    await desk.reload()
    assert await order() == ["Merci", "Bonjour", "Rendez-vous"]
    stored = await server.app[SERVICE].canned_replies()
    assert [r["title"] for r in stored] == ["Merci", "Bonjour", "Rendez-vous"]
