"""Files youths send on Messenger and Instagram: fetched from Meta's expiring links, checked,
kept, or refused with an answer; the real app and SQLite file, a fake Graph API and CDN."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.settings import Settings
from bot.store.roles_media import Media
from tests.support.fake_media import FakeGraphMedia, jpeg, ogg, pdf, png
from tests.support.fake_meta import MetaYouth, meta_settings, settle, texts
from tests.support.resources import of

MAX_BYTES = 200_000


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphMedia]:
    async with FakeGraphMedia() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
def settings(make_settings: Any, graph: FakeGraphMedia) -> Settings:
    return make_settings(**meta_settings(graph), media_max_bytes=MAX_BYTES)


async def consented(youth: MetaYouth) -> None:
    await youth.say("salut")
    got = await youth.tap("START", "C'est parti 🚀")
    assert "prénom" in texts(got)


def attachment(kind: str, url: str) -> dict[str, Any]:
    return {"type": kind, "payload": {"url": url}}


async def send_files(youth: MetaYouth, *files: dict[str, Any]) -> list[dict[str, Any]]:
    message = {"mid": f"m_media{time.monotonic_ns()}", "attachments": list(files)}
    return await youth.send(youth.event(message=message))


async def fetched(client: TestClient, seconds: float = 10.0) -> list[Media]:
    """Run the fetcher until no media waits; every media of every conversation, settled."""
    runtime = of(client.app)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await runtime.media.run_once()
        convs = {c.id for c in await _conversations(client)}
        found = [m for c in convs for m in await runtime.store.conversation_media(c)]
        if found and all(m.status != "pending" for m in found):
            await settle(client)
            return found
        await asyncio.sleep(0.02)
    raise AssertionError("media still pending")


async def _conversations(client: TestClient) -> list[Any]:
    store = of(client.app).store
    found = []
    for channel, user in (("messenger", "6789012345678901"), ("instagram", "5432109876543210")):
        conv = await store.find_conversation(channel, user)
        if conv is not None:
            found.append(conv)
    return found


async def test_a_photo_is_fetched_once_kept_and_linked_to_its_message(
    client: TestClient, graph: FakeGraphMedia
) -> None:
    youth = MetaYouth(client, graph, platform="messenger")
    await consented(youth)
    photo = png()
    url = graph.host(photo, content_type="image/jpeg")  # declared wrongly: the bytes decide
    await send_files(youth, attachment("image", url))
    [media] = await fetched(client)
    store = of(client.app).store
    assert (media.status, media.kind, media.mime, media.size) == (
        "stored",
        "image",
        "image/png",
        len(photo),
    )
    assert await store.media_content(media.id) == photo
    assert sum(graph.downloads.values()) == 1
    thread = await store.thread(media.conversation_id)
    [line] = [entry for entry in thread if entry.id == media.message_id]
    assert (line.author, line.text) == ("youth", "[image]")


async def test_an_instagram_voice_note_and_a_pdf_in_one_message(
    client: TestClient, graph: FakeGraphMedia
) -> None:
    youth = MetaYouth(client, graph, platform="instagram")
    await consented(youth)
    voice, cv = ogg(), pdf("CV de Lina")
    await send_files(
        youth, attachment("audio", graph.host(voice)), attachment("file", graph.host(cv))
    )
    found = await fetched(client)
    store = of(client.app).store
    assert sorted((m.kind, m.mime) for m in found) == [
        ("audio", "audio/ogg"),
        ("file", "application/pdf"),
    ]
    assert len({m.message_id for m in found}) == 1
    contents = {m.mime: await store.media_content(m.id) for m in found}
    assert contents == {"audio/ogg": voice, "application/pdf": cv}


@pytest.mark.parametrize(
    ("served", "ttl", "code", "told"),
    [
        (jpeg(size=MAX_BYTES + 1), 300.0, "too_big", "trop lourd"),
        (b"MZ\x90\x00" + b"\x00" * 4000, 300.0, "bad_type", "type de fichier"),
        (b"<html><script>alert(1)</script></html>", 300.0, "bad_type", "type de fichier"),
        (jpeg(), -1.0, "gone", "renvoyer"),
    ],
    ids=["too_big", "executable", "html", "expired_link"],
)
async def test_a_file_not_kept_is_marked_and_the_youth_is_answered(
    client: TestClient, graph: FakeGraphMedia, served: bytes, ttl: float, code: str, told: str
) -> None:
    youth = MetaYouth(client, graph, platform="messenger")
    await consented(youth)
    await send_files(youth, attachment("image", graph.host(served, ttl=ttl)))
    [media] = await fetched(client)
    assert (media.status, media.error, media.ref) == ("failed", code, None)
    assert await of(client.app).store.media_content(media.id) is None
    assert told in texts(await youth.received())


async def test_a_platform_error_is_retried_later_not_lost(
    client: TestClient, graph: FakeGraphMedia
) -> None:
    youth = MetaYouth(client, graph, platform="messenger")
    await consented(youth)
    photo = png(grey=10)
    graph.cdn_failures = 1
    await send_files(youth, attachment("image", graph.host(photo)))
    runtime = of(client.app)
    [conv] = await _conversations(client)

    async def first() -> Media:
        [media] = await runtime.store.conversation_media(conv.id)
        return media

    deadline = time.monotonic() + 10
    while (await first()).attempts == 0 and time.monotonic() < deadline:
        await runtime.media.run_once()
        await asyncio.sleep(0.02)
    media = await first()
    assert (media.status, media.attempts, media.error) == ("pending", 1, "http_503")
    assert await runtime.store.media_due(time.time()) == []  # backed off, not hammering
    runtime.media.clock = lambda: time.time() + 600  # later on
    [stored] = await fetched(client)
    assert stored.status == "stored" and sum(graph.downloads.values()) == 2
    assert await runtime.store.media_content(stored.id) == photo
