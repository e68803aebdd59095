"""Presence: "typing…" relayed to each platform's fake, and the join line on every channel."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from bot.app import create_app
from bot.store.base import Staff
from handoff import SERVICE, auth
from handoff.presence import TYPING_EVERY_SECONDS
from tests.support.browser import PASSWORD, seed_ticket
from tests.support.fake_meta import FakeGraph, load_fixture, meta_settings, post_webhook
from tests.support.fake_meta import settle as settle_meta
from tests.support.fake_telegram import SECRET, FakeTelegram
from tests.support.resources import of as resources_of

JOINED = "Marie, de l'équipe MiloMouv', a rejoint la conversation 👋 Tu peux lui écrire ici."


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
    fake.check()


@pytest.fixture
async def client(
    aiohttp_client: Any, make_settings: Any, graph: FakeGraph, telegram: FakeTelegram
) -> AsyncIterator[TestClient]:
    settings = make_settings(
        **meta_settings(graph),
        telegram_bot_token=telegram.token,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )
    app = create_app(settings)
    resources_of(app).channels["telegram"].pace_seconds = 0.0  # type: ignore[attr-defined]
    client = await aiohttp_client(app)
    yield client
    await settle_meta(client)


async def _counsellor(client: TestClient) -> tuple[Staff, str]:
    email = "marie.dupont@ml-nord-meusien.fr"
    staff = await client.app[SERVICE].auth.create_account(
        email, PASSWORD, "counsellor", display_name="Marie Dupont"
    )
    resp = await client.post("/api/session", json={"email": email, "password": PASSWORD})
    return staff, str((await resp.json())["csrf_token"])


async def _user_of(client: TestClient, ticket_id: str) -> str:
    store = resources_of(client.app).store
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None
    conversation = await store.get_conversation(ticket.conversation_id)
    assert conversation is not None
    return conversation.user_id


def _graph_actions(graph: FakeGraph, user_id: str) -> list[str]:
    return [
        c.body["sender_action"]
        for c in graph.calls
        if c.recipient == user_id and c.status == 200 and "sender_action" in c.body
    ]


@pytest.mark.parametrize("channel", ["messenger", "instagram", "telegram"])
async def test_typing_reaches_the_platform_paced(
    client: TestClient, graph: FakeGraph, telegram: FakeTelegram, channel: str
) -> None:
    runtime = resources_of(client.app)
    marie, csrf = await _counsellor(client)
    ticket_id = await seed_ticket(runtime, "Lina", channel=channel)
    user = await _user_of(client, ticket_id)
    path = f"/api/tickets/{ticket_id}/typing"
    headers = {"X-CSRF-Token": csrf}
    assert (await client.post(path, headers=headers)).status == 409  # not claimed yet: refused
    assert (await client.post(f"/api/tickets/{ticket_id}/claim", headers=headers)).status == 200
    assert (await client.post(path)).status == 403  # no CSRF token
    for _ in range(3):  # a burst of keystrokes: one indicator
        assert (await client.post(path, headers=headers)).status == 204
    if channel == "telegram":
        calls = telegram.calls_to("sendChatAction", user)
        assert [c.params.get("action") for c in calls] == ["typing"]
    else:
        assert _graph_actions(graph, user) == ["typing_on"]
    presence = client.app[SERVICE].presence
    presence._typed[ticket_id] -= TYPING_EVERY_SECONDS  # the pace has passed
    assert await presence.typing(ticket_id, marie) is True


async def test_typing_on_the_web_chat_is_accepted_and_sends_nothing(
    client: TestClient, graph: FakeGraph, telegram: FakeTelegram
) -> None:
    marie, csrf = await _counsellor(client)
    ticket_id = await seed_ticket(resources_of(client.app), "Lina")
    await client.app[SERVICE].claim(ticket_id, marie)
    before = len(graph.calls), len(telegram.calls)
    resp = await client.post(f"/api/tickets/{ticket_id}/typing", headers={"X-CSRF-Token": csrf})
    assert resp.status == 204
    assert (len(graph.calls), len(telegram.calls)) == before


@pytest.mark.parametrize("channel", ["web", "messenger", "instagram", "telegram"])
async def test_claim_tells_the_youth_a_person_joined_once(
    client: TestClient, graph: FakeGraph, telegram: FakeTelegram, channel: str
) -> None:
    runtime = resources_of(client.app)
    marie, _ = await _counsellor(client)
    ticket_id = await seed_ticket(runtime, "Lina", channel=channel)
    user = await _user_of(client, ticket_id)
    service = client.app[SERVICE]
    await service.claim(ticket_id, marie)
    await service.claim(ticket_id, marie)  # a double click: no second line
    await settle_meta(client)
    ticket = await runtime.store.get_ticket(ticket_id)
    assert ticket is not None
    lines = await runtime.store.thread(ticket.conversation_id, 50)
    joined = [line for line in lines if line.text == JOINED]
    assert len(joined) == 1 and joined[0].author == "system" and joined[0].status == "sent"
    if channel == "telegram":
        assert telegram.sent_texts(user) == [JOINED]
    elif channel != "web":
        assert graph.sent_texts(user) == [JOINED]


def _read_payload(platform: str, user: str, watermark_ms: int) -> dict[str, Any]:
    """A recorded read event (Messenger's watermark, Instagram's mid) sent by this youth."""
    payload = load_fixture(
        platform, "read_delivery" if platform == "messenger" else "messaging_seen"
    )
    for entry in payload["entry"]:
        for event in entry["messaging"]:
            event["sender"]["id"] = user
            event["timestamp"] = watermark_ms
            if "watermark" in event.get("read", {}):
                event["read"]["watermark"] = watermark_ms
            if "messaging_seen" in event:
                event["messaging_seen"]["watermark"] = watermark_ms
    return payload


@pytest.mark.parametrize("platform", ["messenger", "instagram"])
async def test_read_events_mark_the_counsellors_lines_seen(
    client: TestClient, graph: FakeGraph, platform: str
) -> None:
    runtime = resources_of(client.app)
    marie, _ = await _counsellor(client)
    ticket_id = await seed_ticket(runtime, "Lina", channel=platform)
    user = await _user_of(client, ticket_id)
    service = client.app[SERVICE]
    await service.claim(ticket_id, marie)
    await service.send_message(ticket_id, marie, "Tu es dispo demain ?")
    await settle_meta(client)
    page = f"/handoff/fragments/tickets/{ticket_id}"
    line = re.compile(r'class="msg msg-counsellor.*?<span class="msg-status">([^<]*)<', re.S)
    assert line.findall(await (await client.get(page)).text()) == ["Envoyé"]
    async with runtime.live.subscribe() as events:
        before = int((time.time() - 3600) * 1000)
        assert (await post_webhook(client, _read_payload(platform, user, before))).status == 200
        assert line.findall(await (await client.get(page)).text()) == ["Envoyé"]  # read earlier
        now_ms = int((time.time() + 1) * 1000)
        assert (await post_webhook(client, _read_payload(platform, user, now_ms))).status == 200
        event = await asyncio.wait_for(_next_of(events, "seen"), 5)
    ticket = await runtime.store.get_ticket(ticket_id)
    assert ticket is not None and event.data["conversation_id"] == ticket.conversation_id
    assert await runtime.store.seen_until(ticket.conversation_id) == now_ms / 1000
    assert line.findall(await (await client.get(page)).text()) == ["Vu"]


async def _next_of(events: Any, kind: str) -> Any:
    while True:
        event = await events.get()
        if event.kind == kind:
            return event


async def test_a_read_from_a_stranger_changes_nothing(client: TestClient, graph: FakeGraph) -> None:
    resp = await post_webhook(
        client, _read_payload("messenger", "nobody-we-know", 1_795_000_000_000)
    )
    assert resp.status == 200
