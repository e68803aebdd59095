"""Edited texts go live without a restart: on this instance at once, on the others soon after."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.live import LiveHub
from bot.store.sqlite import SQLiteStore
from bot.texts import Texts
from handoff.texts_live import LiveTexts
from tests.support.chat import ChatClient
from tests.support.mongo import drop_database, fresh_database_url
from tests.support.resources import of
from tests.support.staff import fast_hashing, logged_in

__all__ = ["fast_hashing"]

NEW_WELCOME = "Bienvenue chez MiloMouv' 🙂 Tes données : {privacy_url}"


async def _until(check: Any, seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while not check():
            await asyncio.sleep(0.05)


async def test_a_version_saved_elsewhere_is_picked_up_at_the_recheck(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        texts = Texts.load()
        live = LiveTexts(store, LiveHub(), recheck=0.2)
        async with live.running(texts):
            await store.save_text_version("faq.free", "Gratuit, toujours.", 1, 1.0)  # no event
            await _until(lambda: texts("faq.free") == "Gratuit, toujours.")
            await store.save_text_version("faq.free", None, 1, 2.0)
            await _until(lambda: texts("faq.free") == live.defaults.raw("faq.free"))
    finally:
        await store.close()


async def test_following_survives_a_store_outage_and_catches_up(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    texts = Texts.load()
    live = LiveTexts(store, LiveHub(), recheck=0.05)
    try:
        async with live.running(texts):
            await store.close()  # every recheck now fails: logged, and the service goes on
            await asyncio.sleep(0.3)
            await store.open()
            await store.save_text_version("faq.travel", "On vient te voir 🚐", 1, 1.0)
            await _until(lambda: texts("faq.travel") == "On vient te voir 🚐")
    finally:
        await store.close()


async def test_a_stale_version_is_skipped_so_the_catalogue_stays_valid(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        # Saved when the file had other placeholders: it would break the age question now.
        await store.save_text_version("age.ask", "Tu as quel âge, {prenom} ?", 1, 1.0)
        await store.save_text_version("faq.free", "Gratuit.", 1, 2.0)
        texts = Texts.load()
        live = LiveTexts(store, LiveHub())
        async with live.running(texts):
            assert texts("faq.free") == "Gratuit."
            assert texts("age.ask", first_name="Lina") == "Enchanté Lina ! Tu as quel âge ?"
            assert live.overrides == {"faq.free": "Gratuit."}
    finally:
        await store.close()


async def test_the_start_applies_saved_versions_before_the_first_youth(
    aiohttp_client: Any, make_settings: Any
) -> None:
    settings = make_settings()
    store = SQLiteStore(settings.data_dir)
    await store.open()
    await store.save_text_version("welcome.text", NEW_WELCOME, 1, 1.0)
    await store.close()
    client = await aiohttp_client(create_app(settings))
    async with ChatClient.connect(client) as chat:
        frames = await chat.say("salut")
    assert frames[0]["text"].startswith("Bienvenue chez MiloMouv' 🙂")
    assert of(client.app).flow.texts is of(client.app).texts


@pytest.mark.usefixtures("fast_hashing")
async def test_two_instances_on_one_mongodb_share_an_edit_without_restart(
    aiohttp_client: Any, make_settings: Any
) -> None:
    url, standalone = await asyncio.to_thread(fresh_database_url)
    conf = {"store_url": url, "mongodb_allow_standalone": standalone}
    try:
        a: TestClient = await aiohttp_client(create_app(make_settings(**conf)))
        b: TestClient = await aiohttp_client(create_app(make_settings(**conf)))
        b_texts = of(b.app).texts
        async with logged_in(a, "coord@ml55.fr", "coordinator") as coord:
            status, body = await coord.call("PUT", "/api/texts/welcome.text", {"text": NEW_WELCOME})
            assert status == 200, body
            await _until(lambda: b_texts.raw("welcome.text") == NEW_WELCOME)
            async with ChatClient.connect(b) as chat:
                frames = await chat.say("salut")
            assert frames[0]["text"].startswith("Bienvenue chez MiloMouv' 🙂")
            status, _ = await coord.post("/api/texts/welcome.text/rollback", {"version": 0})
            assert status == 200
            await _until(lambda: b_texts.raw("welcome.text").startswith("Salut 👋"))
    finally:
        await drop_database(url)
