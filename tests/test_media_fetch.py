"""The media fetcher on its own: two instances racing for the same files fetch each once, and
a fetcher that died mid-download leaves the file to the next one once its lease expires."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_channels
from bot.live import LiveHub
from bot.media_fetch import LEASE_SECONDS, MediaFetcher
from bot.mediatypes import DEFAULT_MAX_BYTES, DEFAULT_TYPES, parse_types
from bot.store.base import ThreadEntry, UnitOfWork
from bot.store.roles_media import MediaDraft
from bot.store.sqlite import SQLiteStore
from bot.texts import Texts
from tests.support.fake_media import FakeGraphMedia, png
from tests.support.fake_meta import meta_settings
from tests.support.store import conversation


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphMedia]:
    async with FakeGraphMedia() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "data")
    await s.open()
    yield s
    await s.close()


@pytest.fixture
async def channels(make_settings: Any, graph: FakeGraphMedia, store: SQLiteStore) -> Any:
    built = build_channels(make_settings(**meta_settings(graph)), store)
    for channel in built.values():
        await channel.start()
    yield built
    for channel in built.values():
        await channel.stop()


def fetcher(store: SQLiteStore, channels: Any, owner: str, clock: Any = None) -> MediaFetcher:
    extra = {"clock": clock} if clock else {}
    return MediaFetcher(
        store,
        channels,
        Texts.load(),
        LiveHub(),
        max_bytes=DEFAULT_MAX_BYTES,
        types=parse_types(DEFAULT_TYPES),
        owner=owner,
        **extra,
    )


async def _pending(store: SQLiteStore, graph: FakeGraphMedia, count: int) -> str:
    conv = await conversation(store, "u1")
    conv.channel = "messenger"
    drafts = [MediaDraft("image", graph.host(png(grey=i))) for i in range(count)]
    await store.commit(
        UnitOfWork(conversation=conv, thread=[ThreadEntry("in", "youth", "[image]")], media=drafts),
        1.0,
    )
    return conv.id


async def test_two_instances_fetch_each_file_once(
    store: SQLiteStore, graph: FakeGraphMedia, channels: Any
) -> None:
    conv_id = await _pending(store, graph, 6)
    graph.cdn_delay = 0.05  # downloads overlap the other instance's pass
    first, second = fetcher(store, channels, "a"), fetcher(store, channels, "b")
    done = await asyncio.gather(first.run_once(), second.run_once())
    assert sum(done) == 6
    assert sorted(graph.downloads.values()) == [1] * 6
    assert first.fetched + second.fetched == 6
    assert all(m.status == "stored" for m in await store.conversation_media(conv_id))


async def test_a_dead_fetchers_file_is_taken_back_after_its_lease(
    store: SQLiteStore, graph: FakeGraphMedia, channels: Any
) -> None:
    conv_id = await _pending(store, graph, 1)
    [media] = await store.media_due(2.0)
    assert await store.claim_media(media.id, "dead", 2.0 + LEASE_SECONDS, 2.0)
    now = [10.0]
    alive = fetcher(store, channels, "alive", clock=lambda: now[0])
    assert await alive.run_once() == 0  # still leased by the dead instance
    now[0] = 3.0 + LEASE_SECONDS
    assert await alive.run_once() == 1
    [stored] = await store.conversation_media(conv_id)
    assert stored.status == "stored"
