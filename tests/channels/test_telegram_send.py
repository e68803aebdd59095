"""Telegram sending: keyboards, long texts, pacing, and what each Bot API failure leads to."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.channels.telegram import TelegramChannel
from bot.errors import SendError
from bot.events import Button, OutboxItem, Reply
from tests.support.fake_telegram import SECRET, FakeTelegram, TelegramYouth, settle, texts
from tests.support.resources import of as resources_of

CHAT = 6123456789
_ids = itertools.count(1)

MakeClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
    fake.check()


@pytest.fixture
async def make_client(
    aiohttp_client: Any, make_settings: Any, fake: FakeTelegram
) -> AsyncIterator[MakeClient]:
    """The whole app on the fake API; keyword arguments set channel attributes before start."""
    clients: list[TestClient] = []

    async def make(**channel_attrs: Any) -> TestClient:
        settings = make_settings(
            telegram_bot_token=fake.token,
            telegram_webhook_secret=SECRET,
            telegram_api_base_url=fake.base_url,
        )
        app = create_app(settings)
        channel = resources_of(app).channels["telegram"]
        for key, value in {"pace_seconds": 0.0, **channel_attrs}.items():
            setattr(channel, key, value)
        client = await aiohttp_client(app)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await settle(client)
    await asyncio.sleep(0.05)  # let the sender reach its idle sleep: see the report on sender.py


def channel_of(client: TestClient) -> TelegramChannel:
    channel = resources_of(client.app).channels["telegram"]
    assert isinstance(channel, TelegramChannel)
    return channel


def item(text: str, *buttons: tuple[str, str], chat: int = CHAT) -> OutboxItem:
    reply = Reply(text, tuple(Button(title, payload) for title, payload in buttons))
    return OutboxItem(next(_ids), f"conv-{chat}", "telegram", str(chat), reply)


# --- through the whole pipeline ------------------------------------------------------
async def test_rate_limited_reply_is_retried_and_delivered_in_order(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    youth = TelegramYouth(await make_client(), fake)
    await youth.start()
    await youth.tap("START")
    fake.fail("sendMessage", "rate_limited", retry_after=1, chat_id=CHAT)
    calls = await youth.say("/aide")  # two replies: the help, then the question again
    assert len(calls) == 2 and "prénom" in calls[1].text
    attempts = fake.calls_to("sendMessage", CHAT)[-3:]
    assert [c.status for c in attempts] == [429, 200, 200]
    assert attempts[0].text == attempts[1].text == calls[0].text
    assert attempts[1].at - attempts[0].at >= 0.9  # Telegram's retry_after was honoured


async def test_blocked_bot_is_not_retried_and_marked_failed_on_the_thread(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    client = await make_client()
    youth = TelegramYouth(client, fake)
    await youth.start()
    fake.fail("sendMessage", "forbidden", times=10, chat_id=CHAT)
    assert await youth.tap("START") == []
    assert [c.status for c in fake.calls_to("sendMessage", CHAT)] == [200, 403]
    runtime = resources_of(client.app)
    conversation = await runtime.store.find_conversation("telegram", str(CHAT))
    assert conversation is not None
    last = (await runtime.store.thread(conversation.id))[-1]
    assert last.author == "bot" and "prénom" in last.text
    assert last.status == "failed" and last.error == "forbidden"
    assert runtime.sender.failed == 1 and runtime.sender.retried == 0


async def test_server_error_is_retried(make_client: MakeClient, fake: FakeTelegram) -> None:
    youth = TelegramYouth(await make_client(), fake)
    fake.fail("sendMessage", "server_error", chat_id=CHAT)
    calls = await youth.start()
    assert len(calls) == 1
    assert [c.status for c in fake.calls_to("sendMessage", CHAT)] == [500, 200]


async def test_pacing_keeps_one_message_per_second_in_a_chat(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    client = await make_client()
    youth = TelegramYouth(client, fake)
    await youth.start()
    await youth.tap("START")
    channel_of(client).pace_seconds = 1.0
    help_and_question = await youth.say("/aide")  # two replies at once
    assert len(help_and_question) == 2
    first, second = fake.sent(CHAT)[-2:]
    assert second.at - first.at >= 0.95


# --- the channel's own send ---------------------------------------------------------
async def test_pacing_is_per_chat(make_client: MakeClient, fake: FakeTelegram) -> None:
    channel = channel_of(await make_client(pace_seconds=1.0))
    started = time.monotonic()
    await channel.send(item("un", chat=CHAT))
    await channel.send(item("deux", chat=CHAT + 1))  # another chat: no wait
    assert time.monotonic() - started < 0.5
    await channel.send(item("trois", chat=CHAT))  # same chat: waits for its second
    assert time.monotonic() - started >= 0.95
    first, third = fake.sent(CHAT)
    assert third.at - first.at >= 0.95


async def test_inline_keyboard_layout(make_client: MakeClient, fake: FakeTelegram) -> None:
    channel = channel_of(await make_client())
    await channel.send(
        item("Court", ("Un job", "NEED:job"), ("Santé", "NEED:health"), ("Autre", "X"))
    )
    await channel.send(item("Long", ("Oui, un conseiller", "HUMAN:yes"), ("Non", "HUMAN:no")))
    short, long_ = fake.sent(CHAT)
    assert [[b["callback_data"] for b in row] for row in short.keyboard] == [
        ["NEED:job", "NEED:health"],
        ["X"],
    ]
    assert [[b["text"] for b in row] for row in long_.keyboard] == [
        ["Oui, un conseiller"],
        ["Non"],
    ]


async def test_payload_over_64_bytes_becomes_numbered_text(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    channel = channel_of(await make_client())
    too_long = "COMMUNE:" + "é" * 30  # 38 characters, 68 bytes
    await channel.send(item("Laquelle ?", ("Étain", "COMMUNE:55179"), ("Autre", too_long)))
    [call] = fake.sent(CHAT)
    assert call.keyboard == []
    assert call.text == "Laquelle ?\n\n1. Étain\n2. Autre"


async def test_too_many_buttons_become_numbered_text(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    channel = channel_of(await make_client())
    buttons = [(f"Choix {i}", f"C:{i}") for i in range(1, 15)]
    await channel.send(item("Choisis", *buttons))
    [call] = fake.sent(CHAT)
    assert call.keyboard == [] and "14. Choix 14" in call.text


async def test_long_text_is_split_with_the_keyboard_on_the_last_part(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    channel = channel_of(await make_client())
    sentence = "Voici une phrase de conseil assez longue pour remplir le message. "
    text = (sentence * 80)[:5000].strip()
    assert len(text) == 5000
    await channel.send(item(text, ("C'est bon ✅", "SUMMARY:ok")))
    first, second = fake.sent(CHAT)
    assert len(first.text) <= 4096 and len(second.text) <= 4096
    assert first.keyboard == [] and second.payloads == ["SUMMARY:ok"]
    assert (first.text + " " + second.text).split() == text.split()


async def test_emoji_count_double_in_the_4096_limit(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    channel = channel_of(await make_client())
    await channel.send(item("🙂 " * 2500))  # 5,000 characters, 7,500 UTF-16 units
    assert len(fake.sent(CHAT)) == 2  # the fake refuses any part over 4,096 units


async def test_split_message_resumes_where_it_failed(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    channel = channel_of(await make_client())
    outbox = item("a" * 3000 + ". " + "b" * 3000)
    await channel.send(item("avant"))
    fake.calls.clear()
    # The first part goes out, the second is refused: the sender will retry later...
    fake.fail("sendMessage", "rate_limited", retry_after=2, when=lambda c: c.text[0] == "b")
    with pytest.raises(SendError) as raised:
        await channel.send(outbox)
    assert raised.value.code == "rate_limited" and raised.value.retry_after == 2
    # ...and the retry sends only what is missing.
    await channel.send(outbox)
    assert [c.text[:1] for c in fake.calls_to("sendMessage")] == ["a", "b", "b"]
    assert [c.text[:1] for c in fake.sent(CHAT)] == ["a", "b"]


@pytest.mark.parametrize(
    ("kind", "code", "permanent"),
    [
        ("forbidden", "forbidden", True),
        ("chat_not_found", "chat_not_found", True),
        ("bad_request", "bad_request", True),
        ("server_error", "network", False),
        ("bad_gateway", "network", False),
        ("unauthorized", "invalid_token", False),
    ],
)
async def test_bot_api_failures_map_to_send_errors(
    make_client: MakeClient, fake: FakeTelegram, kind: str, code: str, permanent: bool
) -> None:
    channel = channel_of(await make_client())
    fake.fail("sendMessage", kind)
    with pytest.raises(SendError) as raised:
        await channel.send(item("salut"))
    assert (raised.value.code, raised.value.permanent) == (code, permanent)
    assert fake.token not in str(raised.value)


async def test_rate_limit_carries_telegram_delay(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    channel = channel_of(await make_client())
    fake.fail("sendMessage", "rate_limited", retry_after=7)
    with pytest.raises(SendError) as raised:
        await channel.send(item("salut"))
    assert raised.value.code == "rate_limited" and not raised.value.permanent
    assert raised.value.retry_after == 7


async def test_slow_api_is_a_retryable_timeout(make_client: MakeClient, fake: FakeTelegram) -> None:
    channel = channel_of(await make_client(timeout=0.3))
    fake.slow("sendMessage", 1.0)
    with pytest.raises(SendError) as raised:
        await channel.send(item("salut"))
    assert raised.value.code == "timeout" and not raised.value.permanent
    await channel.send(item("encore"))
    assert "encore" in texts(fake.sent(CHAT))


async def test_unreachable_api_is_a_retryable_network_error(
    make_client: MakeClient, fake: FakeTelegram
) -> None:
    channel = channel_of(await make_client())
    await fake.stop()
    with pytest.raises(SendError) as raised:
        await channel.send(item("salut"))
    assert raised.value.code == "network" and not raised.value.permanent
