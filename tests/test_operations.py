"""Operations: retention, metrics access, body cap, health when the store is gone."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.retention import DAY, Retention
from tests.support.chat import ChatClient
from tests.support.resources import of as resources_of


async def _intake_until_commune(client: TestClient) -> str:
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
        await chat.tap("START")
        await chat.say("Lina")
        await chat.say("19")
        return chat.user_id


async def test_unfinished_intake_is_purged_after_the_retention_period(client: TestClient) -> None:
    runtime = resources_of(client.app)
    token = await _intake_until_commune(client)
    conversation = await runtime.store.find_conversation("web", token)
    assert conversation is not None and conversation.profile["first_name"] == "Lina"

    now = time.time()
    early = Retention(runtime.store, 30, 365, clock=lambda: now + 29 * DAY)
    assert await early.run_once() == (0, 0)
    late = Retention(runtime.store, 30, 365, clock=lambda: now + 31 * DAY)
    assert await late.run_once() == (1, 0)

    assert await runtime.store.find_conversation("web", token) is None
    shell = await runtime.store.get_conversation(conversation.id)
    assert shell is not None and shell.profile == {} and shell.consent_at is None
    assert await runtime.store.thread(conversation.id) == []


async def test_open_tickets_are_never_purged(client: TestClient) -> None:
    runtime = resources_of(client.app)
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
        await chat.say("je veux parler a un conseiller")
    later = Retention(runtime.store, 30, 365, clock=lambda: time.time() + 400 * DAY)
    assert await later.run_once() == (0, 0)
    assert len(await runtime.store.list_tickets("waiting")) == 1


async def test_metrics_are_served_to_allowed_addresses_only(
    aiohttp_client: Any, make_settings: Any, tmp_path: Path
) -> None:
    client = await aiohttp_client(create_app(make_settings()))
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
    resp = await client.get("/metrics")
    assert resp.status == 200
    body = await resp.text()
    assert 'milomouv_messages_in_total{channel="web"} 1.0' in body
    assert 'milomouv_messages_out_total{author="bot",channel="web"} 1.0' in body
    assert "milomouv_outbox_backlog 0.0" in body
    assert 'milomouv_queue_length{priority="urgent"} 0.0' in body

    closed = await aiohttp_client(
        create_app(
            make_settings(
                data_dir=tmp_path / "second",  # one service per data folder
                metrics_allow="10.9.9.0/24",
                metrics_token="s3cret-token",
            )
        )
    )
    assert (await closed.get("/metrics")).status == 403
    wrong = await closed.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status == 403
    right = await closed.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert right.status == 200


async def test_request_body_over_the_cap_is_refused(
    aiohttp_client: Any, make_settings: Any
) -> None:
    client = await aiohttp_client(create_app(make_settings(max_body_bytes=1024)))
    app = client.app
    assert app is not None
    resp = await client.post("/api/session", data=b"x" * 4096)
    assert resp.status == 413


async def test_health_says_unavailable_when_the_store_is_gone(client: TestClient) -> None:
    runtime = resources_of(client.app)
    await runtime.store.close()
    resp = await client.get("/healthz")
    assert resp.status == 503
    assert (await resp.json())["store"] == "unavailable"
