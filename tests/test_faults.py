"""Faults: the store locked away, then back; nothing acknowledged that was not saved."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.support.chat import ChatClient, payloads, texts
from tests.support.faults import store_locked
from tests.support.resources import of as resources_of


async def test_store_unavailable_then_back(client: TestClient) -> None:
    runtime = resources_of(client.app)
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


async def test_store_away_gives_clear_errors_everywhere_then_recovers(client: TestClient) -> None:
    from tests.support.staff import finish_intake, logged_in, ticket_of

    runtime = resources_of(client.app)
    async with ChatClient.connect(client) as chat, logged_in(client, "anne@example.org") as anne:
        await finish_intake(chat)
        ticket = await ticket_of(client, chat)

        await runtime.store.close()  # the database goes away
        status, body = await anne.post(f"/api/tickets/{ticket}/claim")
        assert status == 503 and "indisponible" in body["error"]
        page = await anne.session.get(client.make_url("/handoff/"))
        assert page.status == 503 and "momentanément indisponible" in await page.text()
        frames = await chat.say("allo ?", msg_id="while-away")
        assert frames[-1] == {"type": "error", "error": "unavailable"}
        assert (await client.get("/healthz")).status == 503

        await runtime.store.open()  # it comes back: nothing to restart
        status, _ = await anne.post(f"/api/tickets/{ticket}/claim")
        assert status == 200
        await chat.say("allo ?", msg_id="while-away")  # the page resends what was refused
        lines = await runtime.store.thread((await runtime.store.get_ticket(ticket)).conversation_id)  # type: ignore[union-attr]
        assert [line.text for line in lines if line.author == "youth"][-1] == "allo ?"
