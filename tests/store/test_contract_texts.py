"""Text versions on every backend: numbered per key, newest first, latest wins, resets too."""

from __future__ import annotations

import asyncio

from bot.store.base import Store


async def test_each_save_is_the_next_version_of_its_key(store: Store) -> None:
    assert await store.texts_stamp() == 0
    first = await store.save_text_version("welcome.text", "Salut {privacy_url}", 7, 10.0)
    second = await store.save_text_version("welcome.text", "Coucou {privacy_url}", 8, 20.0)
    other = await store.save_text_version("faq.free", "Oui, gratuit.", 7, 30.0)
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.seq < second.seq < other.seq
    assert (second.key, second.text, second.author_id, second.created_at) == (
        "welcome.text",
        "Coucou {privacy_url}",
        8,
        20.0,
    )
    assert await store.text_versions("welcome.text") == [second, first]
    assert await store.text_versions("nope.nope") == []
    assert await store.texts_stamp() == 3


async def test_the_overrides_are_each_keys_latest_text_and_a_reset_drops_the_key(
    store: Store,
) -> None:
    await store.save_text_version("welcome.text", "Un", 1, 1.0)
    await store.save_text_version("welcome.text", "Deux", 1, 2.0)
    await store.save_text_version("faq.free", "Gratuit", 1, 3.0)
    assert await store.text_overrides() == {"welcome.text": "Deux", "faq.free": "Gratuit"}
    reset = await store.save_text_version("faq.free", None, 2, 4.0)
    assert reset.text is None and reset.version == 2
    assert await store.text_overrides() == {"welcome.text": "Deux"}
    again = await store.save_text_version("faq.free", "Gratuit", 2, 5.0)
    assert again.version == 3
    assert await store.text_overrides() == {"welcome.text": "Deux", "faq.free": "Gratuit"}
    history = await store.text_versions("faq.free")
    assert [(v.version, v.text) for v in history] == [(3, "Gratuit"), (2, None), (1, "Gratuit")]


async def test_concurrent_saves_of_one_key_get_distinct_numbers(store: Store) -> None:
    saved = await asyncio.gather(
        *(store.save_text_version("need.ask", f"Texte {i}", i, float(i)) for i in range(6))
    )
    assert sorted(v.version for v in saved) == [1, 2, 3, 4, 5, 6]
    latest = max(saved, key=lambda v: v.version)
    assert await store.text_overrides() == {"need.ask": latest.text}
    assert await store.texts_stamp() == 6
