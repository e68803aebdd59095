"""Territories in Chromium: the coordinator moves a commune, its youth reaches the right team."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.support.browser import CHROMIUM, LiveServer, web_chat_intake

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

BAR_LE_DUC = "55029"


async def test_a_moved_commune_brings_its_youth_first_in_the_right_queue(
    server: LiveServer, browser: Any
) -> None:
    store = server.runtime.store
    claire = await server.add_staff("Claire Martin", role="coordinator")
    hugo = await server.add_staff("Hugo Petit")
    await server.seed_ticket("Lina", commune="Stenay", structure="nord-meusien")  # older

    # The coordinator gives Bar-le-Duc to the Sud meusien and Hugo to its team.
    desk = await (await browser.new_context()).new_page()
    await server.login(desk, claire)
    await desk.click("a.tab[href='/handoff/territories']")
    assert "à vérifier" in await desk.inner_text("#default-note")
    # Meanwhile, a wrong edit counts Bar-le-Duc in the Nord meusien.
    assert await store.assign_areas("nord-meusien", "commune", [BAR_LE_DUC], time.time())
    await desk.reload()
    nord = desk.locator("#structure-nord-meusien")
    await nord.locator(f"ul.areas li[data-code='{BAR_LE_DUC}']").wait_for()
    sud = desk.locator("#structure-sud-meusien")
    await sud.locator("form.area-form[data-kind=commune] input").fill("Bar-le-Duc")
    await sud.locator("form.area-form[data-kind=commune] button").click()
    await sud.locator(f"ul.areas li[data-code='{BAR_LE_DUC}']").wait_for()
    assert await nord.locator(f"ul.areas li[data-code='{BAR_LE_DUC}']").count() == 0
    sud = desk.locator("#structure-sud-meusien")
    await sud.locator("form.member-form select").select_option(str(hugo.id))
    await sud.locator("form.member-form button").click()
    await desk.locator("#structure-sud-meusien ul.members li", has_text="Hugo Petit").wait_for()

    # Hugo watches his queue; the Bar-le-Duc youth arrives live, at the top.
    queue = await (await browser.new_context()).new_page()
    await server.login(queue, hugo)
    assert "Mission locale du Sud meusien" in await queue.inner_text("#queue-scope")
    cards = queue.locator("#tickets li.card .card-name")
    assert await cards.all_inner_texts() == ["Lina"]
    youth = await (await browser.new_context()).new_page()
    await youth.goto(server.url + "/")
    await web_chat_intake(youth, name="inès", commune="bar le duc")
    assert "Mission locale du Sud meusien" in await youth.inner_text("#log")
    await queue.locator("#tickets li.card", has_text="Inès").wait_for()
    assert await cards.all_inner_texts() == ["Inès", "Lina"]

    # After a reload too, and the switch shows every structure in arrival order.
    await queue.reload()
    assert await cards.all_inner_texts() == ["Inès", "Lina"]
    await queue.click("#queue-scope a[href='?structure=all']")
    await queue.wait_for_url("**/handoff/?structure=all")
    await queue.locator("#tickets li.card", has_text="Inès").wait_for()
    assert await cards.all_inner_texts() == ["Lina", "Inès"]
