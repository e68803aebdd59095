"""The life of a ticket through the API: queue, claim race, live talk, release, close, transfer."""

from __future__ import annotations

import asyncio
import datetime
import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from handoff import API
from tests.support.chat import ChatClient, texts
from tests.support.resources import of as resources_of
from tests.support.staff import (
    StaffClient,
    add_staff,
    fast_hashing,
    finish_intake,
    joined,
    logged_in,
    next_message,
    ticket_of,
)

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")


async def test_queue_and_detail_return_youth_text_as_data(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    await chat.say("<script>alert('hé')</script>")
    ticket = await ticket_of(client, chat)
    async with logged_in(client, "c@ml55.fr") as c:
        status, queue = await c.get("/api/tickets?status=waiting")
        assert status == 200
        [line] = queue["tickets"]
        assert line["id"] == ticket and line["first_name"] == "Lina" and line["age"] == 19
        assert line["commune"] == "Stenay" and line["need"] == "trouver un job"
        assert line["channel"] == "web" and line["waiting_seconds"] >= 0 and line["alert"] is False
        resp = await c.request("GET", f"/api/tickets/{ticket}")
        assert resp.headers["Content-Type"].startswith("application/json")
        assert resp.headers["Cache-Control"] == "no-store"
        detail = json.loads(await resp.text())
    assert detail["snapshot"]["first_name"] == "Lina"
    assert detail["conversation"]["mode"] == "waiting"
    youth = [m["text"] for m in detail["messages"] if m["author"] == "youth"]
    assert youth[-1] == "<script>alert('hé')</script>"
    assert {m["author"] for m in detail["messages"]} == {"youth", "bot"}


async def test_claim_then_talk_with_the_youth_live(client: TestClient, chat: ChatClient) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    async with logged_in(client, "marie@ml55.fr", name="Marie") as marie:
        status, claimed = await marie.post(f"/api/tickets/{ticket}/claim")
        await joined(chat)  # "<first name> has joined": the claim's line
        assert status == 200 and claimed["ticket"]["holder"] == "Marie"
        events = await marie.session.get(client.make_url("/api/events"))
        assert events.headers["Content-Type"] == "text/event-stream"
        status, sent = await marie.post(
            f"/api/tickets/{ticket}/messages", {"text": "Bonjour Lina, c'est Marie 🙂"}
        )
        assert status == 201 and sent["message"]["author"] == "counsellor"
        frame = await next_message(chat)
        assert frame["text"] == "Bonjour Lina, c'est Marie 🙂" and frame["from"] == "counsellor"

        answer = await chat.say("merci !")
        assert texts(answer) == ""  # the bot stays quiet: a person has the conversation
        seen = await _sse_until(events, "message", lambda d: d.get("ticket_id") == ticket)
        assert seen["ticket_id"] == ticket
        events.close()
        _, detail = await marie.get(f"/api/tickets/{ticket}")
    lines = [(m["author"], m["text"]) for m in detail["messages"]][-2:]
    assert lines == [("counsellor", "Bonjour Lina, c'est Marie 🙂"), ("youth", "merci !")]
    assert detail["messages"][-2]["staff_name"] == "Marie"
    assert detail["messages"][-2]["status"] == "sent"
    assert detail["ticket"]["first_reply_at"] is not None


async def _sse_until(resp: Any, kind: str, match: Any, timeout: float = 5.0) -> dict[str, Any]:
    event = None
    async with asyncio.timeout(timeout):
        while True:
            line = (await resp.content.readline()).decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == kind:
                data = json.loads(line[6:])
                if match(data):
                    return data


async def test_claim_race_has_exactly_one_winner(client: TestClient, chat: ChatClient) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    people = []
    for i in range(12):
        people.append(await _login(client, f"c{i}@ml55.fr", f"Conseiller {i}"))
    try:
        results = await asyncio.gather(*(p.post(f"/api/tickets/{ticket}/claim") for p in people))
    finally:
        for p in people:
            await p.close()
    winners = [body for status, body in results if status == 200]
    losers = [body for status, body in results if status != 200]
    assert len(winners) == 1 and len(losers) == 11
    holder = winners[0]["ticket"]["holder"]
    assert all(status in (200, 409) for status, _ in results) and all(
        body["holder"] == holder and holder in body["error"] for body in losers
    )
    runtime = resources_of(client.app)
    conversation = await runtime.store.find_conversation("web", chat.user_id)
    assert conversation is not None and conversation.mode == "human"


async def _login(client: TestClient, email: str, name: str) -> StaffClient:
    await add_staff(client, email, name=name)
    person = StaffClient(client)
    assert (await person.login(email)).status == 200
    return person


async def test_release_gives_the_youth_back_to_the_bot(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    async with logged_in(client, "c@ml55.fr") as c:
        await c.post(f"/api/tickets/{ticket}/claim")
        await joined(chat)  # "<first name> has joined": the claim's line
        status, body = await c.post(f"/api/tickets/{ticket}/release")
        assert status == 200
        assert body["ticket"]["status"] == "closed" and body["ticket"]["outcome"] == "given_back"
        greeting = await next_message(chat)
        assert greeting["text"].startswith("Re Lina ! C'est de nouveau l'assistant automatique")
        assert greeting["from"] == "bot"
        follow_up = await next_message(chat)
        assert "Je récapitule" in follow_up["text"]  # it carries on from what it knows
        assert (await c.post(f"/api/tickets/{ticket}/release"))[0] == 409


async def test_close_with_outcome_then_the_youth_is_greeted_by_name(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    async with logged_in(client, "c@ml55.fr") as c:
        await c.post(f"/api/tickets/{ticket}/claim")
        status, body = await c.post(f"/api/tickets/{ticket}/close", {"outcome": "meeting_set"})
        assert status == 200 and body["ticket"]["outcome"] == "meeting_set"
        assert (await c.post(f"/api/tickets/{ticket}/close", {"outcome": "other"})) == (
            409,
            {"error": "Ce ticket est fermé."},
        )
        _, closed = await c.get("/api/tickets?status=closed")
        assert [t["id"] for t in closed["tickets"]] == [ticket]
    frames = await chat.say("coucou")
    assert "Re Lina !" in texts(frames)


async def test_after_a_transfer_the_former_holder_cannot_write(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    async with (
        logged_in(client, "a@ml55.fr", name="Anne") as anne,
        logged_in(client, "b@ml55.fr", name="Bruno") as bruno,
    ):
        await anne.post(f"/api/tickets/{ticket}/claim")
        await joined(chat)  # "<first name> has joined": the claim's line
        assert await bruno.post(f"/api/tickets/{ticket}/messages", {"text": "Salut"}) == (
            409,
            {
                "error": "Ce ticket est suivi par Anne : vous ne pouvez pas agir dessus.",
                "holder": "Anne",
            },
        )
        status, moved = await anne.post(
            f"/api/tickets/{ticket}/transfer", {"staff_id": bruno.staff["id"]}
        )
        assert status == 200 and moved["ticket"]["holder"] == "Bruno"
        refused = await anne.post(f"/api/tickets/{ticket}/messages", {"text": "Encore moi"})
        assert refused[0] == 409 and refused[1]["holder"] == "Bruno"
        assert (await anne.post(f"/api/tickets/{ticket}/close", {"outcome": "other"}))[0] == 409
        gone = await bruno.post(f"/api/tickets/{ticket}/transfer", {"staff_id": 999})
        assert gone[0] == 404 and "n'existe pas" in gone[1]["error"]
        same = await bruno.post(f"/api/tickets/{ticket}/transfer", {"staff_id": bruno.staff["id"]})
        assert same == (409, {"error": "Ce ticket est déjà suivi par cette personne."})
        assert (
            await bruno.post(f"/api/tickets/{ticket}/messages", {"text": "Bonjour, c'est Bruno"})
        )[0] == 201
        assert (await next_message(chat))["text"] == "Bonjour, c'est Bruno"
        _, mine = await bruno.get("/api/tickets?status=assigned&mine=true")
        assert [t["id"] for t in mine["tickets"]] == [ticket]
        _, theirs = await anne.get("/api/tickets?status=assigned&mine=true")
        assert theirs["tickets"] == []


async def test_transfer_to_a_territory_puts_it_back_in_the_queue(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    async with logged_in(client, "a@ml55.fr") as a:
        await a.post(f"/api/tickets/{ticket}/claim")
        await a.post(f"/api/tickets/{ticket}/messages", {"text": "Je regarde"})
        await next_message(chat)
        status, body = await a.post(
            f"/api/tickets/{ticket}/transfer", {"territory": "CA du Grand Verdun"}
        )
        assert status == 200
        assert (
            body["ticket"]["status"] == "waiting"
            and body["ticket"]["territory"] == "CA du Grand Verdun"
        )
        assert body["ticket"]["holder"] is None
    first = await chat.say("y a quelqu'un ?")
    second = await chat.say("allo")
    assert "Bien reçu" in texts(first) and texts(second) == ""  # one ack per waiting period


async def test_notes_stay_with_the_staff_and_meetings_reach_the_youth(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    async with logged_in(client, "a@ml55.fr", name="Anne") as a:
        status, note = await a.post(
            f"/api/tickets/{ticket}/notes", {"text": "Semble motivée, voir permis"}
        )
        assert status == 201 and note["note"]["staff_name"] == "Anne"
        day = datetime.date.today() + datetime.timedelta(days=20)
        meeting = {"date": day.isoformat(), "time": "14:30", "place": "Mission locale de Verdun"}
        refused = await a.post(f"/api/tickets/{ticket}/meetings", meeting)
        assert refused == (409, {"error": "Prenez d'abord ce ticket.", "holder": None})
        await a.post(f"/api/tickets/{ticket}/claim")
        await joined(chat)  # "<first name> has joined": the claim's line
        status, proposed = await a.post(f"/api/tickets/{ticket}/meetings", meeting)
        assert status == 201
        frame = await next_message(chat)
        _, detail = await a.get(f"/api/tickets/{ticket}")
    assert frame["text"].startswith(f"📅 Rendez-vous proposé : {_french(day)} à 14h30\n")
    assert "📍 Mission locale de Verdun" in frame["text"]
    assert proposed["meeting"]["date"] == day.isoformat() and proposed["message"]["id"]
    assert [n["text"] for n in detail["notes"]] == ["Semble motivée, voir permis"]
    assert detail["meetings"][0]["place"] == "Mission locale de Verdun"
    assert not any("motivée" in m["text"] for m in detail["messages"])


def _french(day: datetime.date) -> str:
    weekday = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()[day.weekday()]
    month = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    number = "1er" if day.day == 1 else str(day.day)
    year = f" {day.year}" if day.year != datetime.date.today().year else ""
    return f"{weekday} {number} {month.split()[day.month - 1]}{year}"


async def test_event_stream_beats_and_ends_with_the_session(client: TestClient) -> None:
    client.app[API].events.heartbeat = 0.05
    async with logged_in(client, "a@ml55.fr") as a:
        stream = await a.session.get(client.make_url("/api/events"))
        assert stream.status == 200
        async with asyncio.timeout(5):
            assert await stream.content.readline() == b"retry: 3000\n"
            while (await stream.content.readline()) != b": heartbeat\n":
                pass
            assert (await a.request("DELETE", "/api/session")).status == 204
            await stream.content.read()  # the server closes the stream at the next beat
        assert stream.content.at_eof()
        stream.close()
