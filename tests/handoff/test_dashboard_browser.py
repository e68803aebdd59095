"""The dashboard in Chromium: a counsellor, a youth on the website chat, a late colleague."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from bot.store.base import ThreadEntry
from handoff import SERVICE
from tests.support.browser import (
    CHROMIUM,
    LiveServer,
    add_line,
    web_chat_intake,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

XSS = "<img src=x onerror=alert(1)>"
# The browser's notification permission and pop-ups, recorded instead of shown.
FAKE_NOTIFICATIONS = """
window.__asked = 0;
window.__shown = [];
class FakeNotification {
  constructor(title, options) { window.__shown.push({ title, body: options.body }); }
  addEventListener() {}
  close() {}
}
FakeNotification.permission = "default";
FakeNotification.requestPermission = async () => {
  window.__asked += 1;
  FakeNotification.permission = "granted";
  return "granted";
};
window.Notification = FakeNotification;
"""


async def _youth_intake(youth: Any, base: str) -> None:
    """What a youth does on the website chat, clicking and typing like a person."""
    await youth.goto(f"{base}/?src=affiche-boulangerie-stenay")
    await web_chat_intake(youth)


async def test_counsellor_takes_a_live_ticket_and_talks_with_the_youth(
    server: LiveServer, browser: Any
) -> None:
    marie = await server.add_staff("Marie Dupont")
    staff_ctx = await browser.new_context()
    youth_ctx = await browser.new_context()
    await staff_ctx.add_init_script(FAKE_NOTIFICATIONS)
    counsellor, youth = await staff_ctx.new_page(), await youth_ctx.new_page()
    dialogs: list[str] = []
    counsellor.on("dialog", lambda d: dialogs.append(d.message))

    await server.login(counsellor, marie)
    assert await counsellor.is_visible("#empty")
    # Notifications are asked for on a click, never on load.
    assert await counsellor.evaluate("window.__asked") == 0
    await counsellor.click("#notify")
    assert await counsellor.evaluate("window.__asked") == 1
    await counsellor.locator("#notify").wait_for(state="hidden")

    await _youth_intake(youth, server.url)

    # The ticket appears without a reload, highlighted, with what the bot collected.
    card = counsellor.locator("#tickets .card", has_text="Lina")
    await card.wait_for()
    assert "is-fresh" in (await card.get_attribute("class") or "")
    assert await card.locator(".badge-new").is_visible()
    text = await card.inner_text()
    for expected in (
        "19 ans",
        "Stenay",
        "trouver un job",
        "Chat du site",
        "affiche-boulangerie-stenay",
    ):
        assert expected in text
    assert await counsellor.inner_text("#count-waiting") == "1"
    await counsellor.wait_for_function("window.__shown.length > 0")
    shown = await counsellor.evaluate("window.__shown")
    assert shown[0]["title"] == "Nouvelle demande MiloMouv'"
    assert shown[0]["body"].startswith("Lina (19 ans · Stenay)")

    await card.locator("button", has_text="Prendre").click()
    await counsellor.wait_for_url("**/handoff/tickets/*")
    await counsellor.wait_for_selector("#reply-text")
    assert "Avec vous" in await counsellor.inner_text("#status-pill")
    profile = await counsellor.inner_text(".profile")
    assert "Lina" in profile and "Stenay" in profile
    assert await counsellor.locator(".msg-bot").count() > 3  # the intake, as the youth saw it

    # Counsellor → youth: Enter sends, Shift+Enter makes a new line.
    await counsellor.click("#reply-text")
    await counsellor.keyboard.type("Bonjour Lina, je suis Marie.")
    await counsellor.keyboard.press("Shift+Enter")
    await counsellor.keyboard.type("Tu es dispo demain ?")
    await counsellor.keyboard.press("Enter")
    mine = youth.locator("#log li.counsellor", has_text="Tu es dispo demain ?")
    await mine.wait_for()
    assert "Bonjour Lina, je suis Marie.\nTu es dispo demain ?" in await mine.inner_text()
    sent = counsellor.locator(".msg-counsellor", has_text="Tu es dispo demain ?")
    await sent.wait_for()
    assert await counsellor.input_value("#reply-text") == ""

    # Youth → counsellor, live.
    await youth.fill("#text", "oui demain matin c bon")
    await youth.press("#text", "Enter")
    await counsellor.locator(".msg-youth", has_text="oui demain matin c bon").wait_for()

    # Closed with an outcome.
    await counsellor.click("#close summary")
    await counsellor.check("#close-form input[value=meeting_set]")
    await counsellor.click("#close-form button[type=submit]")

    await counsellor.locator("#status-pill", has_text="Rendez-vous fixé").wait_for()
    assert await counsellor.is_hidden("#reply-form")
    assert dialogs == []

    await staff_ctx.close()
    await youth_ctx.close()


async def test_second_counsellor_is_told_who_has_the_ticket(
    server: LiveServer, browser: Any
) -> None:
    marie = await server.add_staff("Marie Dupont")
    karim = await server.add_staff("Karim Benali")
    ticket_id = await server.seed_ticket("Yanis")
    first_ctx, second_ctx = await browser.new_context(), await browser.new_context()
    first, second = await first_ctx.new_page(), await second_ctx.new_page()
    await server.login(first, marie)
    await server.login(second, karim)
    # Karim's screen has not caught up yet: both see the ticket as waiting and click together.
    await second_ctx.route("**/api/events", lambda route: route.abort())
    for page in (first, second):
        await page.goto(f"{server.url}/handoff/tickets/{ticket_id}")
        await page.wait_for_selector("#claim")

    await first.click("#claim")
    await first.wait_for_selector("#reply-text")
    await second.click("#claim")

    lost = second.locator("#lost")
    await lost.wait_for()
    assert await lost.inner_text() == "Trop tard : Marie Dupont a déjà pris cette conversation."
    await second.locator("#status-pill", has_text="Prise par Marie Dupont").wait_for()
    assert await second.is_hidden("#reply-form")
    await first_ctx.close()
    await second_ctx.close()


async def test_youth_text_is_shown_as_text_never_run(server: LiveServer, browser: Any) -> None:
    marie = await server.add_staff("Marie Dupont")
    context = await browser.new_context()
    page = await context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    await server.login(page, marie)

    # Arrives live: built by the page's script.
    ticket_id = await server.seed_ticket(XSS, said=XSS, commune=XSS, need_label=XSS)
    card = page.locator(f"#tickets .card[data-ticket-id='{ticket_id}']")
    await card.wait_for()
    assert await card.locator(".card-name").inner_text() == XSS
    assert await page.get_by_text(XSS).first.is_visible()
    assert await card.locator("img").count() == 0

    # Rendered by the server.
    await page.reload()
    assert await card.locator(".card-name").inner_text() == XSS
    assert await card.locator("img").count() == 0

    await card.locator("a.card-main").click()
    await page.wait_for_url(f"**/handoff/tickets/{ticket_id}")
    assert await page.inner_text("h1") == XSS
    line = page.locator(".msg-youth").first
    assert await line.locator(".msg-text").inner_text() == XSS
    assert await line.locator(".msg-who").inner_text() == XSS
    assert await page.locator("#main img").count() == 0
    assert dialogs == []
    await context.close()


async def test_conversation_tools_canned_note_meeting_failure_transfer_give_back(
    server: LiveServer, browser: Any
) -> None:
    coordinator = await server.add_staff("Claire Martin", "coordinator")
    marie = await server.add_staff("Marie Dupont")
    karim = await server.add_staff(
        "Karim Benali", territory="CC du Pays de Stenay et du Val Dunois"
    )
    await server.app[SERVICE].set_canned_replies(
        coordinator, [("Présentation", "Bonjour, je suis conseillère à la Mission locale 🙂")]
    )
    ticket_id = await server.seed_ticket("Lina")
    marie_ctx, karim_ctx = await browser.new_context(), await browser.new_context()
    page, other = await marie_ctx.new_page(), await karim_ctx.new_page()
    await server.login(page, marie)
    await server.login(other, karim)
    await other.goto(f"{server.url}/handoff/mine")
    await other.wait_for_selector("#live:not(.is-off)")

    await page.locator(f".card[data-ticket-id='{ticket_id}'] [data-claim]").click()
    await page.wait_for_selector("#reply-text")

    # A canned reply goes into the box on a click; Enter sends it.
    await page.click(".canned summary")
    await page.locator("#canned button", has_text="Présentation").click()
    assert (
        await page.input_value("#reply-text")
        == "Bonjour, je suis conseillère à la Mission locale 🙂"
    )
    await page.press("#reply-text", "Enter")
    await page.locator(".msg-counsellor", has_text="conseillère à la Mission locale").wait_for()

    # A private note stays on the ticket.
    await page.fill("#note-text", "A déjà un CV, motivée")
    await page.click("#note-form button[type=submit]")
    note = page.locator("#notes .note", has_text="A déjà un CV, motivée")
    await note.wait_for()
    assert "Vous" in await note.inner_text()

    # A meeting proposal: a well-formed message to the youth, and a record on the ticket.
    day = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    await page.click("#meeting summary")
    await page.fill("#meeting-date", day)
    await page.fill("#meeting-time", "14:30")
    await page.fill("#meeting-place", "Mission locale, 5 rue Carnot, Stenay")
    await page.click("#meeting-form button[type=submit]")
    proposal = page.locator(".msg-counsellor", has_text="5 rue Carnot")
    await proposal.wait_for()
    assert "14h30" in await proposal.inner_text()
    await page.locator("#meetings li", has_text="5 rue Carnot").wait_for()

    # A reply the platform refused shows why, in French, as soon as it is known.
    refused = ThreadEntry(
        "out",
        "counsellor",
        "Tu es là ?",
        staff_id=marie.id,
        status="failed",
        error="outside_window",
    )
    await add_line(server.runtime, ticket_id, refused)
    error = page.locator(".msg.is-failed .msg-error")
    await error.wait_for()
    assert "plus de 7 jours" in await error.inner_text()

    # Transfer to a colleague: it leaves Marie's hands and lands in Karim's list, live.
    await page.click("#transfer summary")
    await page.select_option("#transfer-staff", str(karim.id))
    await page.click("#transfer-form button[type=submit]")
    await page.locator("#status-pill", has_text="Prise par Karim Benali").wait_for()
    assert await page.is_hidden("#reply-form")
    card = other.locator(f"#tickets .card[data-ticket-id='{ticket_id}']")
    await card.wait_for()
    assert "is-fresh" in (await card.get_attribute("class") or "")

    # Karim gives the conversation back to the bot.
    await card.locator("a.card-main").click()
    await other.wait_for_selector("#reply-text")
    await other.click("#release summary")
    await other.click("#release-form button[type=submit]")
    await other.locator("#status-pill", has_text="Clôturée").wait_for()
    assert await other.is_hidden("#actions")
    await page.locator("#status-pill", has_text="Clôturée").wait_for()  # Marie sees it live
    await marie_ctx.close()
    await karim_ctx.close()


async def test_first_coordinator_sets_up_the_service(server: LiveServer, browser: Any) -> None:
    link = await server.app[SERVICE].auth.setup_link(server.url)
    assert link is not None
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(link)
    await page.fill("#email", "coordination@ml-nord-meusien.fr")
    await page.fill("#password", "une phrase assez longue")
    await page.fill("#password2", "une autre phrase")
    await page.click("#setup-form button[type=submit]")
    assert await page.inner_text("#form-error") == "Les deux mots de passe ne sont pas identiques."
    await page.fill("#password2", "une phrase assez longue")
    await page.click("#setup-form button[type=submit]")
    await page.wait_for_url(f"{server.url}/handoff/")
    assert "Coordination" in await page.inner_text(".who")
    # The link works once.
    await page.goto(link)
    assert "pas valide" in await page.inner_text(".form-error")
    await context.close()
