"""Files on Telegram: a photo or voice note fetched through getFile and the file URL; a file
sent back with sendPhoto or sendDocument, through the outbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.events import Reply
from bot.store.base import UnitOfWork
from bot.store.roles_media import Media
from tests.support.fake_media import FakeTelegramMedia, jpeg, ogg, pdf, png
from tests.support.fake_telegram import SECRET, TelegramYouth, settle, texts
from tests.support.resources import of

MAX_BYTES = 100_000


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramMedia]:
    async with FakeTelegramMedia() as fake:
        yield fake
    fake.check()


@pytest.fixture
async def client(
    aiohttp_client: Any, make_settings: Any, fake: FakeTelegramMedia
) -> AsyncIterator[TestClient]:
    settings = make_settings(
        telegram_bot_token=fake.token,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=fake.base_url,
        media_max_bytes=MAX_BYTES,
    )
    app = create_app(settings)
    of(app).channels["telegram"].pace_seconds = 0.0  # type: ignore[attr-defined]
    client = await aiohttp_client(app)
    yield client
    await settle(client)
    await asyncio.sleep(0.05)


@pytest.fixture
async def youth(client: TestClient, fake: FakeTelegramMedia) -> TelegramYouth:
    youth = TelegramYouth(client, fake)
    await youth.say("salut")
    got = await youth.tap("START")
    assert "prénom" in texts(got)
    return youth


async def settled_media(client: TestClient, seconds: float = 10.0) -> list[Media]:
    runtime = of(client.app)
    conv = await runtime.store.find_conversation("telegram", "6123456789")
    assert conv is not None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await runtime.media.run_once()
        found = await runtime.store.conversation_media(conv.id)
        if found and all(m.status != "pending" for m in found):
            await settle(client)
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("media still pending")


async def test_the_largest_photo_size_is_fetched_and_kept(
    client: TestClient, fake: FakeTelegramMedia, youth: TelegramYouth
) -> None:
    update = youth.update("photo")
    sizes = update["message"]["photo"]
    photo = png()
    fake.put(sizes[-1]["file_id"], photo)
    await youth.act(update)
    [media] = await settled_media(client)
    assert (media.status, media.mime, media.kind) == ("stored", "image/png", "image")
    assert await of(client.app).store.media_content(media.id) == photo
    assert dict(fake.downloads) == {sizes[-1]["file_id"]: 1}


async def test_a_voice_note_is_kept(
    client: TestClient, fake: FakeTelegramMedia, youth: TelegramYouth
) -> None:
    update = youth.update("voice")
    voice = ogg()
    fake.put(update["message"]["voice"]["file_id"], voice)
    await youth.act(update)
    [media] = await settled_media(client)
    assert (media.status, media.mime, media.kind) == ("stored", "audio/ogg", "voice")


async def test_a_file_too_big_is_refused_and_the_youth_told(
    client: TestClient, fake: FakeTelegramMedia, youth: TelegramYouth
) -> None:
    update = youth.update("photo")
    fake.put(update["message"]["photo"][-1]["file_id"], jpeg(size=MAX_BYTES + 10))
    before = len(fake.sent(youth.chat_id))
    await youth.act(update)
    [media] = await settled_media(client)
    assert (media.status, media.error) == ("failed", "too_big")
    assert fake.downloads == {}  # refused on getFile's size, nothing downloaded
    assert "trop lourd" in texts(fake.sent(youth.chat_id)[before:])


@pytest.mark.parametrize(
    ("content", "mime", "method"),
    [(png(), "image/png", "sendPhoto"), (pdf("Plan"), "application/pdf", "sendDocument")],
)
async def test_a_file_goes_out_through_the_outbox(
    client: TestClient,
    fake: FakeTelegramMedia,
    youth: TelegramYouth,
    content: bytes,
    mime: str,
    method: str,
) -> None:
    store = of(client.app).store
    conv = await store.find_conversation("telegram", "6123456789")
    assert conv is not None
    media = await store.add_media(conv.id, "telegram", "file", mime, "plan.pdf", content, 1.0)
    reply = Reply("Voici le plan", author="counsellor", staff_id=1, media_id=media.id)
    await store.commit(UnitOfWork(conversation=conv, replies=[reply]), time.time())
    of(client.app).wake_sender()
    await settle(client)
    [upload] = fake.uploads
    assert (upload.platform_call, upload.recipient, upload.data) == (method, "6123456789", content)
    assert upload.fields["caption"] == "Voici le plan"
