"""Telegram settings and start-up: mounted or not, clear refusals, setWebhook, no token in logs."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.errors import ConfigError
from tests.support.fake_telegram import SECRET, FakeTelegram, TelegramYouth, settle
from tests.support.resources import of as resources_of

WEBHOOK_URL = "https://milomouv.example.org/webhooks/telegram"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
    fake.check()


def telegram_settings(make_settings: Any, fake: FakeTelegram, **overrides: Any) -> Any:
    values = {
        "telegram_bot_token": fake.token,
        "telegram_webhook_secret": SECRET,
        "telegram_api_base_url": fake.base_url,
        **overrides,
    }
    return make_settings(**values)


async def start_fails(settings: Any) -> str:
    """Start the app, expecting a ConfigError; its message."""
    server = TestServer(create_app(settings))
    try:
        with pytest.raises(ConfigError) as raised:
            await server.start_server()
    finally:
        await server.close()
    return str(raised.value)


# --- mounted or not --------------------------------------------------------------------
@pytest.mark.parametrize("empty", [None, ""])
def test_not_mounted_without_token_and_secret(make_settings: Any, empty: Any) -> None:
    settings = make_settings(telegram_bot_token=empty, telegram_webhook_secret=empty)
    assert "telegram" not in resources_of(create_app(settings)).channels


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"telegram_bot_token": "123456:ABC-def_ghi"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"telegram_webhook_secret": SECRET}, "TELEGRAM_BOT_TOKEN"),
        (
            {"telegram_bot_token": "123456:ABC", "telegram_webhook_secret": "with space"},
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            {"telegram_bot_token": "123456:ABC", "telegram_webhook_secret": "a" * 257},
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            {"telegram_bot_token": "123456:ABC", "telegram_webhook_secret": "sécret"},
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            {"telegram_bot_token": "not a token", "telegram_webhook_secret": SECRET},
            "TELEGRAM_BOT_TOKEN",
        ),
        (
            {
                "telegram_bot_token": "123456:ABC",
                "telegram_webhook_secret": SECRET,
                "telegram_webhook_url": "http://milomouv.example.org/webhooks/telegram",
            },
            "TELEGRAM_WEBHOOK_URL",
        ),
        (
            {
                "telegram_bot_token": "123456:ABC",
                "telegram_webhook_secret": SECRET,
                "telegram_api_base_url": "api.telegram.org/bot",
            },
            "TELEGRAM_API_BASE_URL",
        ),
    ],
)
def test_half_or_badly_configured_is_refused_by_name(
    make_settings: Any, overrides: dict[str, Any], named: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        create_app(make_settings(**overrides))
    message = str(raised.value)
    assert named in message
    assert "not a token" not in message and "with space" not in message


async def test_mounted_channel_is_listed_in_health(
    aiohttp_client: Any, make_settings: Any, fake: FakeTelegram
) -> None:
    client = await aiohttp_client(create_app(telegram_settings(make_settings, fake)))
    body = await (await client.get("/healthz")).json()
    assert "telegram" in body["channels"]
    assert [c.method for c in fake.calls] == ["getMe"]  # no setWebhook without its URL


# --- start-up ------------------------------------------------------------------------
async def test_set_webhook_at_start_with_the_secret(
    aiohttp_client: Any, make_settings: Any, fake: FakeTelegram
) -> None:
    settings = telegram_settings(make_settings, fake, telegram_webhook_url=WEBHOOK_URL)
    await aiohttp_client(create_app(settings))
    [call] = fake.calls_to("setWebhook")
    assert call.params["url"] == WEBHOOK_URL
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]


async def test_set_webhook_waits_out_a_short_flood_limit(
    aiohttp_client: Any, make_settings: Any, fake: FakeTelegram
) -> None:
    fake.fail("setWebhook", "rate_limited", retry_after=1)
    settings = telegram_settings(make_settings, fake, telegram_webhook_url=WEBHOOK_URL)
    await aiohttp_client(create_app(settings))
    assert [c.status for c in fake.calls_to("setWebhook")] == [429, 200]


async def test_set_webhook_failure_stops_start_up(make_settings: Any, fake: FakeTelegram) -> None:
    fake.fail("setWebhook", "bad_webhook")
    settings = telegram_settings(make_settings, fake, telegram_webhook_url=WEBHOOK_URL)
    message = await start_fails(settings)
    assert message.startswith("TELEGRAM_WEBHOOK_URL")
    assert "bad webhook" in message.lower() and fake.token not in message


async def test_rejected_token_stops_start_up_without_showing_it(
    make_settings: Any, fake: FakeTelegram
) -> None:
    fake.fail("getMe", "unauthorized")
    message = await start_fails(telegram_settings(make_settings, fake))
    assert "TELEGRAM_BOT_TOKEN" in message and fake.token not in message
    assert len(fake.calls_to("getMe")) == 1  # a refused token is not retried


async def test_wrong_base_url_path_is_a_rejected_token(
    make_settings: Any, fake: FakeTelegram
) -> None:
    settings = telegram_settings(
        make_settings, fake, telegram_api_base_url=fake.base_url.removesuffix("/bot") + "/api/"
    )
    message = await start_fails(settings)
    assert "TELEGRAM_BOT_TOKEN" in message and "TELEGRAM_API_BASE_URL" in message
    assert fake.token not in message
    fake.problems.clear()  # the fake rightly complained about the path


async def test_unreachable_api_stops_start_up_after_a_few_tries(make_settings: Any) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = make_settings(
        telegram_bot_token="123456:ABC-def",
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=f"http://127.0.0.1:{port}/bot",
    )
    message = await start_fails(settings)
    assert message.startswith("TELEGRAM_API_BASE_URL") and "123456:ABC-def" not in message


async def test_api_errors_at_start_are_retried(
    aiohttp_client: Any, make_settings: Any, fake: FakeTelegram
) -> None:
    fake.fail("getMe", "server_error", times=2)
    await aiohttp_client(create_app(telegram_settings(make_settings, fake)))
    assert [c.status for c in fake.calls_to("getMe")] == [500, 500, 200]


# --- the token stays out of the logs ---------------------------------------------------------
async def test_token_never_reaches_the_logs(
    aiohttp_client: Any,
    make_settings: Any,
    fake: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "telegram"):  # even if another test quietened them
        caplog.set_level(logging.DEBUG, logger=name)
    settings = telegram_settings(make_settings, fake, telegram_webhook_url=WEBHOOK_URL)
    client: TestClient = await aiohttp_client(create_app(settings))
    channel = resources_of(client.app).channels["telegram"]
    channel.pace_seconds = 0.0  # type: ignore[attr-defined]
    youth = TelegramYouth(client, fake)
    await youth.start("affiche-gare")
    await youth.tap("START")
    await youth.say("Lina")
    fake.fail("sendMessage", "forbidden")
    await youth.say("19")
    await settle(client)
    await client.close()

    http_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("sendMessage" in line for line in http_lines)  # the URLs were logged...
    assert all("[TELEGRAM_BOT_TOKEN]" in line for line in http_lines)  # ...masked
    logged = caplog.text + capsys.readouterr().out
    assert fake.token not in logged
    assert fake.token.split(":")[1] not in logged
    # Nor a message text from the Telegram side (PTB logs request parameters at DEBUG).
    ours = [r.getMessage() for r in caplog.records if r.name.startswith(("telegram", "httpx"))]
    assert not any("Lina" in line for line in ours)


async def test_log_masking_is_removed_when_the_channel_stops(
    aiohttp_client: Any, make_settings: Any, fake: FakeTelegram
) -> None:
    httpx_logger = logging.getLogger("httpx")
    before = list(httpx_logger.filters)
    client = await aiohttp_client(create_app(telegram_settings(make_settings, fake)))
    assert len(httpx_logger.filters) == len(before) + 1
    await client.close()
    assert httpx_logger.filters == before
