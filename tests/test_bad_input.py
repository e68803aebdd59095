"""Nested or huge JSON anywhere (API, webhooks, chat frames): a clear 400, never a 500."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
import structlog
from aiohttp import WSCloseCode, WSMsgType
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import create_app
from bot.jsonlimits import MAX_DEPTH, depth_ok, loads_limited
from tests.support.chat import ChatClient
from tests.support.fake_meta import FakeGraph, meta_settings, post_webhook
from tests.support.fake_telegram import SECRET, FakeTelegram, post_update
from tests.support.resources import of as resources_of

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def nested(depth: int, kinds: str, leaf: str = "1") -> str:
    """`depth` containers, each a list or an object as `kinds` says (cycled)."""
    opens = "".join("[" if kinds[i % len(kinds)] == "l" else '{"a":' for i in range(depth))
    closes = "".join("]" if kinds[i % len(kinds)] == "l" else "}" for i in reversed(range(depth)))
    return opens + leaf + closes


# Drawn as (depth, kinds) and built in the test, so a failure report stays short.
depths = st.integers(MAX_DEPTH + 1, 150_000)
frame_depths = st.integers(MAX_DEPTH + 1, 2500)  # within a 16 KiB chat frame
kinds = st.text(alphabet="lo", min_size=1, max_size=4)


def test_depth_limit_is_exact() -> None:
    assert loads_limited(nested(MAX_DEPTH, "l")) is not None
    assert loads_limited(nested(MAX_DEPTH + 1, "l")) is None
    assert loads_limited(nested(MAX_DEPTH + 1, "o")) is None
    assert depth_ok({"a": [1, {"b": 2}]}, 3) and not depth_ok({"a": [1, {"b": 2}]}, 2)
    assert loads_limited(b"\xff\xfe") is None and loads_limited("{") is None


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def client(
    aiohttp_client: Any, make_settings: Any, graph: FakeGraph, telegram: FakeTelegram
) -> TestClient:
    settings_ = make_settings(
        **meta_settings(graph),
        telegram_bot_token=telegram.token,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
        chat_messages_per_minute=100_000,  # every example opens a chat from loopback
    )
    return await aiohttp_client(create_app(settings_))


@PROPERTY
@given(depth=depths, kind=kinds)
async def test_deep_json_on_the_api_is_refused_clearly(
    client: TestClient, depth: int, kind: str
) -> None:
    body = nested(depth, kind)
    for path in ("/api/session", "/api/setup"):
        with structlog.testing.capture_logs() as logs:
            resp = await client.post(path, data=body, headers={"Content-Type": "application/json"})
        # The API's documented answer to an unreadable body: 422 and the catalogue's words.
        assert resp.status == 422, path
        assert (await resp.json())["error"] == resources_of(client.app).texts("api.error_bad_json")
        assert not [e for e in logs if e["log_level"] in ("error", "critical")]


@PROPERTY
@given(depth=depths, kind=kinds)
async def test_deep_json_on_the_webhooks_is_a_400(
    client: TestClient, depth: int, kind: str
) -> None:
    body = nested(depth, kind)
    assert (await post_update(client, body)).status == 400
    assert (await post_webhook(client, body.encode())).status == 400


@PROPERTY
@given(depth=frame_depths, kind=kinds)
async def test_a_deep_chat_frame_is_an_invalid_message(
    client: TestClient, depth: int, kind: str
) -> None:
    body = '{"type": "message", "text": "salut", "extra": ' + nested(depth, kind) + "}"
    async with ChatClient.connect(client) as chat:
        with structlog.testing.capture_logs() as logs:
            await chat.ws.send_str(body)
            frame = await chat.ws.receive_json(timeout=5)
        assert frame == {"type": "error", "error": "invalid_message"}
        assert not [e for e in logs if e["log_level"] in ("error", "critical")]


async def test_a_frame_over_the_size_limit_closes_the_socket_cleanly(client: TestClient) -> None:
    async with ChatClient.connect(client) as chat:
        await chat.ws.send_str('{"type": "message", "text": "' + "a" * 20_000 + '"}')
        closing = await chat.ws.receive(timeout=5)
        assert closing.type == WSMsgType.CLOSE and closing.data == WSCloseCode.MESSAGE_TOO_BIG
    async with ChatClient.connect(client) as again:  # the service goes on
        assert await again.say("salut")


async def test_a_huge_body_is_a_413(client: TestClient) -> None:
    body = io.BytesIO(b"[" + b"1," * 600_000 + b"1]")
    resp = await client.post(
        "/api/session", data=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status == 413
