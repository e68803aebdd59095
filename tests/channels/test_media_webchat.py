"""A file sent to a youth on the website chat: pushed to the page, kept in its history, served
by its link to nobody else's files."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from bot.store.base import ThreadEntry, UnitOfWork
from bot.store.roles_media import MediaDraft
from handoff import SERVICE, auth
from tests.support.browser import PASSWORD
from tests.support.chat import ChatClient
from tests.support.fake_media import pdf, png
from tests.support.resources import of
from tests.support.staff import finish_intake, next_message, ticket_of


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


async def _holder(client: TestClient, ticket_id: str) -> str:
    account = await client.app[SERVICE].auth.create_account(
        "marie.dupont@ml-nord-meusien.fr", PASSWORD, "counsellor", display_name="Marie Dupont"
    )
    resp = await client.post("/api/session", json={"email": account.email, "password": PASSWORD})
    csrf = str((await resp.json())["csrf_token"])
    resp = await client.post(f"/api/tickets/{ticket_id}/claim", headers={"X-CSRF-Token": csrf})
    assert resp.status == 200
    return csrf


async def _upload(client: TestClient, ticket_id: str, csrf: str, content: bytes, name: str) -> None:
    form = aiohttp.FormData()
    form.add_field("csrf", csrf)
    form.add_field("caption", "")
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    resp = await client.post(
        f"/handoff/tickets/{ticket_id}/media", data=form, allow_redirects=False
    )
    assert resp.status == 303, await resp.text()


async def test_a_picture_and_a_pdf_reach_the_youths_page_and_its_history(
    client: TestClient,
) -> None:
    async with ChatClient.connect(client) as chat:
        await finish_intake(chat)
        ticket_id = await ticket_of(client, chat)
        csrf = await _holder(client, ticket_id)
        joined = await next_message(chat)  # the claim tells the youth a person is here
        assert "a rejoint la conversation" in joined["text"]
        flyer = png(grey=30)
        await _upload(client, ticket_id, csrf, flyer, "flyer.png")
        frame = await next_message(chat)
        assert frame["from"] == "counsellor" and frame["media"]["kind"] == "image"
        url = frame["media"]["url"]
        plan = pdf("Plan")
        await _upload(client, ticket_id, csrf, plan, "plan.pdf")
        second = await next_message(chat)
        assert second["media"]["kind"] == "file"
        assert second["media"]["label"] == "📎 plan.pdf (1 ko)"
        conversation = chat.conversation
    async with aiohttp.ClientSession() as anyone:  # the youth's page: no staff cookie
        resp = await anyone.get(client.make_url(url))
        assert resp.status == 200 and await resp.read() == flyer
        assert resp.headers["Content-Type"] == "image/png"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in resp.headers["Content-Security-Policy"]
        resp = await anyone.get(client.make_url(second["media"]["url"]))
        assert resp.headers["Content-Disposition"].startswith("attachment;")
    async with ChatClient.connect(client, conversation=conversation) as again:
        shown = [m["media"]["url"] for m in again.history if m.get("media")]
        assert shown == [url, second["media"]["url"]]


async def test_what_a_youth_sent_is_never_served_on_the_youth_side(client: TestClient) -> None:
    store = of(client.app).store
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
        await chat.tap("START")
        conv = await store.find_conversation("web", chat.user_id)
        assert conv is not None
        await store.commit(
            UnitOfWork(
                conversation=conv,
                thread=[ThreadEntry("in", "youth", "[image]")],
                media=[MediaDraft("image", "https://cdn.example/x.jpg")],
            ),
            1.0,
        )
        [media] = await store.media_due(2.0)
        assert await store.claim_media(media.id, "t", 100.0, 2.0)
        assert await store.media_fetched(media.id, "t", "image/png", png(), 2.0)
    resp = await client.get(f"/chat/media/{media.id}")
    assert resp.status == 404
    resp = await client.get(f"/handoff/media/{media.id}", allow_redirects=False)
    assert resp.status == 302  # staff only
