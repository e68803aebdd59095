"""The web chat's limits hold per client address and per conversation, not per socket."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from aiohttp import WSMsgType, WSServerHandshakeError
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.channels.webchat import token_id
from bot.channels.webguard import PRUNE_EVERY, ChatGuard, ChatLimits, Window
from bot.events import InboundEvent
from tests.support.chat import ChatClient
from tests.support.resources import of as resources_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limited(aiohttp_client: Any, make_settings: Any) -> Any:
    async def start(**settings: Any) -> TestClient:
        # Behind a proxy on loopback: each test plays the client addresses it needs.
        app = create_app(make_settings(trusted_proxies="127.0.0.1/32", **settings))
        return await aiohttp_client(app)

    return start


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def test_window_counts_per_key_and_forgets_old_events() -> None:
    window = Window(10.0)
    assert all(window.hit("a", 3, 0.0) for _ in range(3))
    assert not window.hit("a", 3, 5.0)
    assert window.hit("b", 3, 5.0)
    assert window.hit("a", 3, 10.0)  # the first three left the window


def test_window_forgets_addresses_once_their_events_are_old() -> None:
    window = Window(10.0)
    for n in range(PRUNE_EVERY):  # an attacker rotating addresses
        window.hit(f"10.0.{n // 256}.{n % 256}", 5, 0.0)
    assert len(window) == PRUNE_EVERY
    for _ in range(PRUNE_EVERY):
        window.hit("198.51.100.7", 10**6, 20.0)
    assert len(window) == 1


def test_guard_caps_sockets_per_address_and_in_total() -> None:
    guard = ChatGuard(ChatLimits(max_sockets=3, max_sockets_per_address=2))
    assert guard.admit("a") is None and guard.admit("a") is None
    assert guard.admit("a") == "too_many_sockets"
    assert guard.admit("b") is None
    assert guard.admit("c") == "server_full"
    guard.release("a")
    assert guard.admit("c") is None and guard.open_sockets == 3


def test_guard_rates_new_conversations_per_minute_and_hour() -> None:
    clock = Clock()
    limits = ChatLimits(new_conversations_per_minute=2, new_conversations_per_hour=3)
    guard = ChatGuard(limits, clock)
    assert guard.new_conversation("a") and guard.new_conversation("a")
    assert not guard.new_conversation("a")  # a burst
    assert guard.new_conversation("b")
    clock.now += 61
    assert guard.new_conversation("a")
    clock.now += 61
    assert not guard.new_conversation("a")  # three in the hour already
    clock.now += 3600
    assert guard.new_conversation("a")


async def test_sockets_per_address_are_capped_and_refused_connections_closed(
    limited: Any,
) -> None:
    client = await limited(chat_max_sockets_per_address=3, chat_max_sockets=4)
    held = [await client.ws_connect("/chat/ws", headers=_from("198.51.100.7")) for _ in range(3)]
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect("/chat/ws", headers=_from("198.51.100.7"))
    assert refused.value.status == 429
    assert refused.value.headers is not None
    assert refused.value.headers.get("Connection", "").lower() == "close"
    other = await client.ws_connect("/chat/ws", headers=_from("203.0.113.5"))
    with pytest.raises(WSServerHandshakeError) as full:
        await client.ws_connect("/chat/ws", headers=_from("192.0.2.1"))
    assert full.value.status == 503
    await held[0].close()
    again = await client.ws_connect("/chat/ws", headers=_from("192.0.2.1"))
    for ws in [*held[1:], other, again]:
        await ws.close()


async def test_a_silent_socket_is_closed_as_idle(limited: Any) -> None:
    client = await limited(chat_idle_seconds=1)
    ws = await client.ws_connect("/chat/ws")
    assert (await ws.receive_json(timeout=5))["type"] == "session"
    closing = await ws.receive(timeout=5)
    assert closing.type == WSMsgType.CLOSE and closing.extra == "idle"


async def test_message_rate_is_per_conversation_across_tabs(limited: Any) -> None:
    client = await limited(chat_conversation_messages_per_10s=4)
    async with ChatClient.connect(client) as first:
        await first.say("salut")
        async with ChatClient.connect(client, conversation=first.conversation) as second:
            for n in range(3):
                await (first if n % 2 else second).say(f"message {n}")
            frames = await second.send_raw('{"type": "message", "text": "encore", "id": "x9"}')
    assert {"type": "error", "error": "too_fast"} in frames


async def test_message_rate_is_per_address_across_conversations(limited: Any) -> None:
    client = await limited(chat_messages_per_minute=3)
    sockets = [await client.ws_connect("/chat/ws", headers=_from("198.51.100.7")) for _ in range(4)]
    answers = []
    for n, ws in enumerate(sockets):
        await ws.receive_json(timeout=5)  # session
        await ws.send_json({"type": "message", "text": "salut", "id": f"r{n}"})
        answers.append((await ws.receive_json(timeout=5))["type"])
    assert answers[:3] == ["ack"] * 3 and answers[3] == "error"
    for ws in sockets:
        await ws.close()


async def test_new_conversations_per_address_are_refused_kindly(limited: Any) -> None:
    client = await limited(chat_new_conversations_per_hour=2)
    runtime = resources_of(client.app)
    answers = []
    for n in range(3):
        ws = await client.ws_connect("/chat/ws", headers=_from("198.51.100.7"))
        await ws.receive_json(timeout=5)
        await ws.send_json({"type": "message", "text": "je veux parler à quelqu'un", "id": f"c{n}"})
        answers.append(await ws.receive_json(timeout=5))
        await ws.close()
    assert [a["type"] for a in answers] == ["ack", "ack", "error"]
    assert answers[2]["error"] == "too_many_conversations"
    assert answers[2]["text"] == runtime.texts("webchat.too_many_conversations")
    async with ChatClient.connect(client) as elsewhere:  # another address starts as usual
        assert "C'est parti" in str(await elsewhere.say("salut"))


async def test_a_conversation_already_open_is_not_counted_as_new(limited: Any) -> None:
    client = await limited(chat_new_conversations_per_hour=1)
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
    for _ in range(3):  # coming back (new tab, reload) is not a new conversation
        async with ChatClient.connect(client, conversation=chat.conversation) as again:
            frames = await again.tap("START")
            assert not [f for f in frames if f.get("type") == "error"]


async def test_foreign_origins_cannot_open_the_socket(limited: Any) -> None:
    client = await limited(embed_origins="https://partenaire.example")
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect("/chat/ws", headers={"Origin": "https://evil.example"})
    assert refused.value.status == 403
    own = f"http://{client.host}:{client.port}"
    for origin in (own, "https://partenaire.example"):
        ws = await client.ws_connect("/chat/ws", headers={"Origin": origin})
        assert (await ws.receive_json(timeout=5))["type"] == "session"
        await ws.close()


async def test_no_stored_identifier_holds_the_chat_token(client: TestClient) -> None:
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
        await chat.tap("START")
    token = chat.conversation
    assert token
    path = resources_of(client.app).store.location.removeprefix("sqlite:")
    with sqlite3.connect(path) as db:
        event_ids = [r[0] for r in db.execute("SELECT event_id FROM inbox")]
        user_ids = [r[0] for r in db.execute("SELECT user_id FROM conversations")]
    assert event_ids and all(e.startswith(token_id(token) + ":") for e in event_ids)
    assert user_ids == [token_id(token)]
    dump = "\n".join(sqlite3.connect(path).iterdump())
    assert token not in dump


async def test_a_chat_begun_before_hashing_keeps_working(client: TestClient) -> None:
    runtime = resources_of(client.app)
    token = "ancien-jeton-de-chat-1234"
    event = InboundEvent("web", token, f"{token}:old1", "text", text="salut")
    assert await runtime.ingest(event)
    async with ChatClient.connect(client) as warmup:  # let the dispatcher answer it
        await warmup.settle()
    async with ChatClient.connect(client, conversation=token) as chat:
        assert [m["from"] for m in chat.history] == ["bot"]
        frames = await chat.tap("START")
        assert "prénom" in str(frames)
    conversation = await runtime.store.find_conversation("web", token)
    assert conversation is not None and conversation.state == "ask_name"
