"""The fake Bot API itself: answers like Telegram, records calls, refuses loudly."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.support.fake_telegram import TOKEN, FakeTelegram


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def call(fake: FakeTelegram, method: str, *, token: str = TOKEN, **kw: Any) -> Any:
    url = f"{fake.base_url.removesuffix('/bot')}/bot{token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, **kw) as resp:
        return resp.status, await resp.json()


async def test_json_and_form_calls_are_recorded_alike(fake: FakeTelegram) -> None:
    markup = {"inline_keyboard": [[{"text": "Oui", "callback_data": "YES"}]]}
    status, body = await call(
        fake, "sendMessage", json={"chat_id": 42, "text": "salut", "reply_markup": markup}
    )
    assert status == 200 and body["ok"] is True
    message = body["result"]
    assert message["chat"] == {"id": 42, "first_name": "Lina", "type": "private"}
    assert message["text"] == "salut" and isinstance(message["message_id"], int)
    assert isinstance(message["date"], int) and message["reply_markup"] == markup
    form = {"chat_id": "42", "text": "re", "reply_markup": '{"inline_keyboard": []}'}
    assert (await call(fake, "sendMessage", data=form))[0] == 200
    assert fake.sent_texts(42) == ["salut", "re"]
    assert fake.calls[1].params["reply_markup"] == {"inline_keyboard": []}
    assert fake.sent(42)[0].payloads == ["YES"]
    fake.check()


async def test_programmed_failures_look_like_telegram(fake: FakeTelegram) -> None:
    fake.fail("sendMessage", "rate_limited", retry_after=3)
    fake.fail("sendMessage", "forbidden", chat_id=7)
    status, body = await call(fake, "sendMessage", json={"chat_id": 1, "text": "a"})
    assert status == 429 and body["parameters"] == {"retry_after": 3}
    assert body["ok"] is False and body["error_code"] == 429
    status, body = await call(fake, "sendMessage", json={"chat_id": 1, "text": "b"})
    assert status == 200  # the 403 waits for chat 7
    status, body = await call(fake, "sendMessage", json={"chat_id": 7, "text": "c"})
    assert status == 403 and body["description"].startswith("Forbidden")
    assert fake.sent_texts(1) == ["b"] and fake.sent_texts(7) == []
    fake.check()


@pytest.mark.parametrize(
    ("method", "token", "params"),
    [
        ("sendMessage", "123:wrong", {"chat_id": 1, "text": "a"}),
        ("sendSticker", TOKEN, {"chat_id": 1}),
        ("sendMessage", TOKEN, {"chat_id": 1, "text": "a" * 4097}),
        ("sendMessage", TOKEN, {"chat_id": 1, "text": "  "}),
        (
            "sendMessage",
            TOKEN,
            {
                "chat_id": 1,
                "text": "a",
                "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 33}]]},
            },
        ),
        ("setWebhook", TOKEN, {"url": "https://x.example", "secret_token": "bad secret"}),
    ],
)
async def test_what_telegram_would_refuse_fails_loudly(
    fake: FakeTelegram, method: str, token: str, params: dict[str, Any]
) -> None:
    status, body = await call(fake, method, token=token, json=params)
    assert status >= 400 and body["ok"] is False
    assert fake.token not in "".join(fake.problems)
    with pytest.raises(AssertionError, match="unexpected calls"):
        fake.check()
