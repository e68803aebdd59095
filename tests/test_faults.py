"""Faults: the store locked away, then back; nothing acknowledged that was not saved."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from bot.app import RUNTIME
from tests.support.chat import ChatClient, payloads, texts
from tests.support.faults import store_locked


async def test_store_unavailable_then_back(client: TestClient) -> None:
    runtime = client.app[RUNTIME]
    path = runtime.store.path  # type: ignore[attr-defined]
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
        async with store_locked(path):  # another writer holds the file
            frames = await chat.say("oui", msg_id="during-outage")
            assert frames[-1] == {"type": "error", "error": "unavailable"}
            health = await client.get("/healthz")
            assert health.status == 200  # reads still work in WAL mode; writes wait
        # The page sends the same message again (same id): saved once, answered once.
        frames = await chat.say("oui", msg_id="during-outage")
        assert "prénom" in texts(frames)
        again = await chat.say("oui", msg_id="during-outage")
        assert again == []
        frames = await chat.say("Lina")
        assert "quel âge" in texts(frames)
    assert payloads(frames) == []
