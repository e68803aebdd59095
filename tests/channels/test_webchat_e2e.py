"""A youth on the website chat, end to end through the real server and a real SQLite file."""

from __future__ import annotations

import json
from typing import Any

from aiohttp.test_utils import TestClient

from bot.app import create_app
from tests.support.chat import ChatClient, payloads, texts
from tests.support.resources import of as resources_of


async def _full_intake(chat: ChatClient) -> list[dict[str, Any]]:
    frames = await chat.say("salut")
    assert payloads(frames) == ["START", "WHAT", "NO"]
    frames = await chat.tap("START")
    assert "prénom" in texts(frames)
    frames = await chat.say("moi c lina")
    assert "Lina" in texts(frames)
    frames = await chat.say("g 19 ans")
    assert "commune" in texts(frames)
    frames = await chat.say("stenay")
    assert "NEED:job" in payloads(frames)
    frames = await chat.tap("NEED:job")
    assert "CONTACT:chat" in payloads(frames)
    frames = await chat.say("06 12 34 56 78 par sms")
    assert "AVAIL:any" in payloads(frames)
    frames = await chat.tap("AVAIL:weekday_morning")
    assert "Stenay" in texts(frames) and payloads(frames) == ["SUMMARY:ok", "SUMMARY:fix"]
    return await chat.tap("SUMMARY:ok")


async def test_salut_to_ticket_in_at_most_nine_actions(client: TestClient) -> None:
    async with ChatClient.connect(client, src="affiche-boulangerie-stenay") as chat:
        frames = await _full_intake(chat)
        assert "J'ai transmis ta demande" in texts(frames)
        assert chat.actions <= 9
    runtime = resources_of(client.app)
    waiting = await runtime.store.list_tickets("waiting")
    assert len(waiting) == 1
    ticket = waiting[0]
    assert ticket.channel == "web"
    assert ticket.source == "affiche-boulangerie-stenay"
    assert ticket.priority == "normal" and ticket.reason == "intake_done"
    snap = ticket.snapshot
    assert snap["first_name"] == "Lina" and snap["age"] == 19
    assert snap["commune_code"] == "55502" and snap["phone"] == "+33612345678"
    assert snap["contact_pref"] == "sms" and snap["availability"] == ["weekday_morning"]
    conversation = await runtime.store.get_conversation(ticket.conversation_id)
    assert conversation is not None
    assert conversation.mode == "waiting" and conversation.consent_at is not None
    assert conversation.consent_version == runtime.texts("meta.privacy_version")


async def test_waiting_youth_gets_one_acknowledgement_per_waiting_period(
    client: TestClient,
) -> None:
    async with ChatClient.connect(client) as chat:
        await _full_intake(chat)
        first = await chat.say("vous êtes là ?")
        second = await chat.say("allo")
    assert "Bien reçu" in texts(first)
    assert texts(second) == ""
    runtime = resources_of(client.app)
    ticket = (await runtime.store.list_tickets("waiting"))[0]
    lines = await runtime.store.thread(ticket.conversation_id)
    assert [line.text for line in lines if line.author == "youth"][-2:] == [
        "vous êtes là ?",
        "allo",
    ]


async def test_reload_resumes_and_shows_history(client: TestClient) -> None:
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
        await chat.tap("START")
        await chat.say("Lina")
        conversation = chat.conversation
    async with ChatClient.connect(client, conversation=conversation) as again:
        history = again.history
        assert [m["from"] for m in history][-2:] == ["youth", "bot"]
        assert history[-2]["text"] == "Lina" and "quel âge" in history[-1]["text"]
        frames = await again.say("19")
        assert "commune" in texts(frames)


async def test_same_client_message_id_is_processed_once(client: TestClient) -> None:
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
        first = await chat.tap("START", msg_id="tap-1")
        again = await chat.tap("START", msg_id="tap-1")
    assert "prénom" in texts(first)
    assert again == []


async def test_bad_frames_get_a_clear_error_and_lose_nothing(client: TestClient) -> None:
    async with ChatClient.connect(client) as chat:
        assert (await chat.send_raw("not json"))[0] == {"type": "error", "error": "invalid_message"}
        assert (await chat.send_raw(json.dumps([1, 2])))[0]["error"] == "invalid_message"
        bad_type = json.dumps({"type": "message", "text": 5})
        assert (await chat.send_raw(bad_type))[0]["error"] == "invalid_message"
        frames = await chat.say("salut")
        assert payloads(frames) == ["START", "WHAT", "NO"]


async def test_restart_in_the_middle_of_a_conversation(aiohttp_client: Any, settings: Any) -> None:
    first = await aiohttp_client(create_app(settings))
    async with ChatClient.connect(first) as chat:
        await chat.say("salut")
        await chat.tap("START")
        await chat.say("Lina")
        await chat.say("19")
        conversation = chat.conversation
    await first.close()

    second = await aiohttp_client(create_app(settings))
    async with ChatClient.connect(second, conversation=conversation) as chat:
        assert any("Lina" == m["text"] for m in chat.history)
        frames = await chat.say("verdun")
        assert "NEED:job" in payloads(frames)
        await chat.tap("NEED:training")
        await chat.tap("CONTACT:chat")
        await chat.say("le soir apres 17h")
        frames = await chat.tap("SUMMARY:ok")
        assert "J'ai transmis" in texts(frames)
    tickets = await resources_of(second.app).store.list_tickets("waiting")
    assert [t.snapshot["first_name"] for t in tickets] == ["Lina"]
    assert tickets[0].snapshot["availability"] == ["evening"]


async def test_stop_then_resume(chat: ChatClient) -> None:
    await chat.say("salut")
    await chat.tap("START")
    frames = await chat.say("stop")
    assert "reprendre" in texts(frames)
    assert await chat.say("Lina") == []  # silent while paused
    frames = await chat.say("reprendre")
    assert "prénom" in texts(frames)
    frames = await chat.say("Lina")
    assert "quel âge" in texts(frames)


async def test_erase_in_chat_removes_personal_data(client: TestClient) -> None:
    runtime = resources_of(client.app)
    async with ChatClient.connect(client) as chat:
        await _full_intake(chat)
        user_id = chat.user_id
        frames = await chat.say("supprime mes données")
        assert "ERASE:yes" in payloads(frames)
        frames = await chat.tap("ERASE:yes")
        assert "effacées" in texts(frames)
    assert await runtime.store.find_conversation("web", user_id) is None
    tickets = await runtime.store.list_tickets("closed")
    assert len(tickets) == 1 and tickets[0].snapshot == {} and tickets[0].outcome == "erased"
    lines = await runtime.store.thread(tickets[0].conversation_id)
    assert not any("Lina" in line.text or "06 12" in line.text for line in lines)


async def test_healthz_reports_the_store(client: TestClient) -> None:
    resp = await client.get("/healthz")
    assert resp.status == 200
    body = await resp.json()
    assert body["store"] == "ok" and body["outbox_backlog"] == 0


async def test_page_and_privacy_notice_are_served(client: TestClient) -> None:
    page = await client.get("/")
    assert page.status == 200 and 'lang="fr"' in await page.text()
    privacy = await client.get("/confidentialite")
    text = await privacy.text()
    assert privacy.status == 200 and "CNIL" in text
