"""Browser tests' helpers: the real app on a real port, Debian's Chromium, seeded tickets and staff."""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import create_app
from bot.events import InboundEvent
from bot.settings import Settings
from bot.store.base import Staff, ThreadEntry, TicketDraft, UnitOfWork
from handoff import SERVICE
from tests.support.resources import Resources
from tests.support.resources import of as resources_of

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"
_ids = itertools.count(1)


@dataclass
class LiveServer:
    """The whole service listening on 127.0.0.1 on a free port."""

    app: web.Application
    url: str

    @property
    def runtime(self) -> Resources:
        return resources_of(self.app)

    async def add_staff(self, name: str, role: str = "counsellor", **extra: Any) -> Staff:
        """An account created through the handoff's own auth (same hashing as production)."""
        email = name.lower().replace(" ", ".") + "@ml-nord-meusien.fr"
        auth = self.app[SERVICE].auth
        return await auth.create_account(email, PASSWORD, role, display_name=name, **extra)

    async def seed_ticket(self, first_name: str, **options: Any) -> int:
        """A waiting ticket for a web-chat youth, written through the bot's own store."""
        return await seed_ticket(self.runtime, first_name, **options)

    async def login(self, page: Any, staff: Staff) -> None:
        """Sign in through the login page, as a person would, and wait for the live feed."""
        await page.goto(f"{self.url}/handoff/login")
        await page.fill("#email", staff.email)
        await page.fill("#password", PASSWORD)
        await page.click("#login-form button[type=submit]")
        await page.wait_for_url(f"{self.url}/handoff/")
        await page.wait_for_selector("#live:not(.is-off)")


@contextlib.asynccontextmanager
async def live_server(settings: Settings) -> AsyncIterator[LiveServer]:
    """The real app on 127.0.0.1 and a free port, stopped (with its store) afterwards."""
    app = create_app(settings)
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield LiveServer(app, f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()


class Chromium:
    """A launched browser whose contexts fail in seconds, not Playwright's default 30 s."""

    def __init__(self, browser: Any, timeout_ms: int) -> None:
        self.browser = browser
        self.timeout_ms = timeout_ms
        self.errors: list[str] = []  # uncaught script errors and CSP refusals, in any page

    async def new_context(self, **options: Any) -> Any:
        context = await self.browser.new_context(locale="fr-FR", **options)
        context.set_default_timeout(self.timeout_ms)
        context.on("weberror", lambda error: self.errors.append(str(error.error)))
        context.on("console", self._console)
        return context

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(message.text)


@contextlib.asynccontextmanager
async def chromium(timeout_ms: int = 15000) -> AsyncIterator[Chromium]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield Chromium(browser, timeout_ms)
        finally:
            await browser.close()


async def seed_ticket(
    runtime: Resources,
    first_name: str,
    *,
    said: str = "bonjour",
    priority: str = "normal",
    channel: str = "web",
    **profile: Any,
) -> int:
    """Open a ticket as the intake would, with any first name (even one the flow refuses)."""
    store, now = runtime.store, time.time()
    user = f"seed-{next(_ids)}-{int(now * 1000)}"
    event = InboundEvent(channel, user, f"{user}:1", "text", text=said, source="affiche-test")
    saved = await store.ingest(event, now)
    assert saved is not None
    conversation = await store.get_conversation(saved[0])
    assert conversation is not None
    values = {"first_name": first_name, "age": 19, "commune": "Stenay", "need": "job"}
    values.update(profile)
    values.setdefault("need_label", "trouver un job")
    conversation.profile = values
    conversation.mode = "waiting"
    conversation.state = "done"
    conversation.last_inbound_at = now
    conversation.source = conversation.source or "affiche-test"
    urgent = priority == "urgent"
    uow = UnitOfWork(
        conversation=conversation,
        inbox_id=saved[1],
        thread=[ThreadEntry("in", "youth", said)],
        open_ticket=TicketDraft(
            "urgent" if urgent else "normal",
            "distress" if urgent else "intake_done",
            dict(values),
            territory=values.get("territory"),
        ),
    )
    result = await store.commit(uow, now)
    assert result.ticket_id is not None
    runtime.live.publish(
        "ticket_opened",
        ticket_id=result.ticket_id,
        conversation_id=conversation.id,
        priority="urgent" if urgent else "normal",
    )
    return result.ticket_id


async def add_line(runtime: Resources, ticket_id: int, entry: ThreadEntry) -> None:
    """Write one line to a ticket's thread (e.g. a reply the platform refused) and announce it."""
    ticket = await runtime.store.get_ticket(ticket_id)
    assert ticket is not None
    conversation = await runtime.store.get_conversation(ticket.conversation_id)
    assert conversation is not None
    await runtime.store.commit(UnitOfWork(conversation=conversation, thread=[entry]), time.time())
    runtime.live.publish(
        "delivery_failed" if entry.status == "failed" else "message",
        conversation_id=conversation.id,
        ticket_id=ticket_id,
    )


async def web_chat_intake(youth: Any, name: str = "lina", commune: str = "stenay") -> None:
    """A youth on the open website chat page goes through the intake like a person."""

    async def say(text: str) -> None:
        await youth.fill("#text", text)
        await youth.press("#text", "Enter")

    async def tap(title: str) -> None:
        await youth.locator("#buttons button", has_text=title).click()

    await say("salut")
    await tap("C'est parti")
    await youth.locator("#log li.bot", has_text="prénom").wait_for()
    await say(f"moi c {name}")
    await youth.locator("#log li.bot", has_text="quel âge").wait_for()
    await say("19")
    await youth.locator("#log li.bot", has_text="commune").wait_for()
    await say(commune)
    await tap("Un job")
    await tap("Ici, sur ce chat")
    await tap("En semaine, matin")
    await tap("C'est bon")
    await youth.locator("#log li.bot", has_text="transmis").wait_for()
