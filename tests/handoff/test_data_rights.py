"""A youth's data rights from the dashboard: a coordinator exports everything, then erases it."""

from __future__ import annotations

import asyncio
import datetime
import json
from typing import Any

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient

from handoff.openapi import document
from tests.support.chat import ChatClient, texts
from tests.support.resources import of as resources_of
from tests.support.staff import (
    StaffClient,
    fast_hashing,
    finish_intake,
    logged_in,
    next_message,
    ticket_of,
)

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

PHONE = "06 12 34 56 78"
NOTE = f"Lina, {PHONE}, vit chez sa tante"
PLACE = "Mission locale de Stenay"
PERSONAL = ("Lina", "lina", PHONE, "tante", PLACE)


async def _sql(client: TestClient, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    store: Any = resources_of(client.app).store
    return list(await store._read_all(sql, params))


async def _followed_ticket(client: TestClient, chat: ChatClient, anne: StaffClient) -> int:
    """A finished intake, then a counsellor's message, a note, a meeting and the youth's phone."""
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    base = f"/api/tickets/{ticket}"
    assert (await anne.post(f"{base}/claim"))[0] == 200
    assert (await anne.post(f"{base}/messages", {"text": "Bonjour Lina, c'est Anne"}))[0] == 201
    await next_message(chat)
    await chat.say(f"mon numéro c'est le {PHONE}")
    assert (await anne.post(f"{base}/notes", {"text": NOTE}))[0] == 201
    day = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    meeting = {"date": day, "time": "10:00", "place": PLACE}
    assert (await anne.post(f"{base}/meetings", meeting))[0] == 201
    await next_message(chat)
    return ticket


async def _export(coord: StaffClient, ticket: int) -> dict[str, Any]:
    resp = await coord.request("GET", f"/api/tickets/{ticket}/export")
    assert resp.status == 200, await resp.text()
    assert resp.headers["Content-Disposition"] == (
        f'attachment; filename="milomouv-export-{ticket}.json"'
    )
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.headers["Cache-Control"] == "no-store"
    body: dict[str, Any] = json.loads(await resp.text())
    return body


async def test_the_export_holds_everything_about_the_youth(
    client: TestClient, chat: ChatClient
) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "anne@ml55.fr", name="Anne") as anne,
    ):
        ticket = await _followed_ticket(client, chat, anne)
        export = await _export(coord, ticket)

    conversation = export["conversation"]
    assert conversation["channel"] == "web" and conversation["user_id"] == chat.user_id
    assert conversation["mode"] == "human" and conversation["ticket_id"] == ticket
    assert conversation["consent_at"] is not None and conversation["consent_version"] == "2026-11"
    assert conversation["created_at"] <= conversation["updated_at"]
    assert "state" in conversation and "source" in conversation
    assert export["profile"]["first_name"] == "Lina" and export["profile"]["age"] == 19

    [t] = export["tickets"]
    assert t["id"] == ticket and t["status"] == "assigned" and t["holder"] == "Anne"
    assert t["priority"] == "normal" and t["reason"] == "intake_done"
    assert t["snapshot"]["first_name"] == "Lina" and t["snapshot"]["commune"] == "Stenay"
    assert t["claimed_at"] and t["first_reply_at"] and t["closed_at"] is None
    assert t["outcome"] is None and "territory" in t

    lines = [(m["direction"], m["author"], m["text"]) for m in export["messages"]]
    assert ("in", "youth", "moi c lina") in lines
    assert ("in", "youth", f"mon numéro c'est le {PHONE}") in lines
    assert ("out", "counsellor", "Bonjour Lina, c'est Anne") in lines
    anne_line = next(m for m in export["messages"] if m["author"] == "counsellor")
    assert anne_line["staff_name"] == "Anne" and anne_line["status"] == "sent"
    assert {"created_at", "error", "ticket_id"} <= set(anne_line)
    assert [(n["text"], n["ticket_id"]) for n in export["notes"]] == [(NOTE, ticket)]
    [meeting] = export["meetings"]
    assert (
        meeting["place"] == PLACE and meeting["time"] == "10:00" and meeting["ticket_id"] == ticket
    )

    actions = [(a["actor"], a["action"]) for a in export["audit"]]
    assert ("bot", "consent") in actions
    for action in ("ticket_claimed", "message_sent", "note_added", "meeting_proposed"):
        assert (f"staff:{anne.staff['id']}", action) in actions

    [row] = await _sql(client, "SELECT actor, target, details FROM audit WHERE action = 'exported'")
    assert row == (
        f"staff:{coord.staff['id']}",
        conversation["id"],
        json.dumps({"ticket_id": ticket}),
    )


async def test_only_a_coordinator_may_export_or_erase(client: TestClient, chat: ChatClient) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    export, erase = f"/api/tickets/{ticket}/export", f"/api/tickets/{ticket}/erase"
    assert (await client.get(export)).status == 401
    assert (await client.post(erase, json={"confirm": True})).status == 401
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "anne@ml55.fr") as anne,
    ):
        refused = (403, {"error": "Cette action est réservée à la coordination."})
        assert await anne.get(export) == refused
        assert await anne.post(erase, {"confirm": True}) == refused
        for token in (None, "not-the-token"):
            status, body = await coord.post(erase, {"confirm": True}, csrf=token)
            assert status == 403 and "rechargez la page" in body["error"]
        for body in ({}, {"confirm": False}, {"confirm": "yes"}, {"confirm": 1}):
            status, answer = await coord.post(erase, body)
            assert status == 422 and "confirm" in answer["error"], body
        assert (await coord.get("/api/tickets/999/export"))[0] == 404
        assert (await coord.post("/api/tickets/999/erase", {"confirm": True}))[0] == 404
        _, detail = await coord.get(f"/api/tickets/{ticket}")
    assert detail["snapshot"]["first_name"] == "Lina"  # nothing was erased by the refusals
    assert await _sql(client, "SELECT COUNT(*) FROM audit WHERE action = 'exported'") == [(0,)]


async def test_erasure_leaves_only_anonymous_counts(client: TestClient, chat: ChatClient) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "anne@ml55.fr", name="Anne") as anne,
    ):
        ticket = await _followed_ticket(client, chat, anne)
        before = await _export(coord, ticket)
        conversation_id = before["conversation"]["id"]
        events = await anne.session.get(client.make_url("/api/events"))
        assert (await events.content.readline()) == b"retry: 3000\n"

        status, body = await coord.post(f"/api/tickets/{ticket}/erase", {"confirm": True})
        assert status == 200
        assert body["ticket"]["status"] == "closed" and body["ticket"]["outcome"] == "erased"
        assert body["ticket"]["first_name"] is None
        closed = await _event(events, "ticket_closed")
        events.close()
        assert closed == {
            "ticket_id": ticket,
            "conversation_id": conversation_id,
            "by_staff_id": coord.staff["id"],
            "outcome": "erased",
        }
        refused = await anne.post(f"/api/tickets/{ticket}/messages", {"text": "Allô ?"})
        assert refused == (409, {"error": "Ce ticket est fermé."})
        after = await _export(coord, ticket)

    await _nothing_sent_to(chat)
    text = json.dumps(after, ensure_ascii=False)
    assert not any(word in text for word in PERSONAL), text
    assert after["profile"] == {} and after["messages"] == []
    assert after["notes"] == [] and after["meetings"] == []
    assert after["conversation"]["user_id"] == f"erased:{conversation_id}"
    assert after["conversation"]["consent_at"] is None and after["conversation"]["mode"] == "bot"
    [t] = after["tickets"]
    assert (t["status"], t["outcome"], t["snapshot"]) == ("closed", "erased", {})
    assert t["closed_at"] is not None and t["claimed_at"] == before["tickets"][0]["claimed_at"]
    for table in ("ticket_notes", "meetings"):
        assert await _sql(client, f"SELECT COUNT(*) FROM {table}") == [(0,)]
    assert await _sql(
        client, "SELECT COUNT(*) FROM messages WHERE conversation_id = ?", conversation_id
    ) == [(0,)]
    outbox = await _sql(
        client, "SELECT user_id, reply FROM outbox WHERE conversation_id = ?", conversation_id
    )
    assert outbox and all(row == (f"erased:{conversation_id}", '{"text": ""}') for row in outbox)

    trail = {a["action"]: a for a in after["audit"]}
    assert trail["exported"]["actor"] == f"staff:{coord.staff['id']}"
    assert trail["exported"]["target"] == conversation_id
    assert trail["exported"]["details"] == {"ticket_id": ticket}
    erased = trail["erased_by_coordinator"]
    assert erased["actor"] == f"staff:{coord.staff['id']}" and erased["target"] == conversation_id
    assert erased["details"] == {"tickets_closed": 1}
    rows = await _sql(client, "SELECT details FROM audit")
    assert not any(word in details for (details,) in rows for word in PERSONAL)

    frames = await chat.say("coucou")
    assert "Salut 👋 Je suis l'assistant automatique" in texts(frames)  # a fresh start
    fresh = await resources_of(client.app).store.find_conversation("web", chat.user_id)
    assert fresh is not None and fresh.id != conversation_id and fresh.profile == {}


async def _event(resp: Any, kind: str, timeout: float = 5.0) -> dict[str, Any]:
    event = None
    async with asyncio.timeout(timeout):
        while True:
            line = (await resp.content.readline()).decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == kind:
                data: dict[str, Any] = json.loads(line[6:])
                return data


async def _nothing_sent_to(chat: ChatClient) -> None:
    """The youth is not told: no frame reaches their page."""
    await chat.settle()
    try:
        msg = await chat.ws.receive(timeout=0.2)
    except TimeoutError:
        return
    assert msg.type != WSMsgType.TEXT, msg.data


async def test_the_conversation_page_offers_export_and_erase_to_coordinators_only(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "anne@ml55.fr") as anne,
    ):
        coord_page = await (await coord.request("GET", f"/handoff/tickets/{ticket}")).text()
        anne_page = await (await anne.request("GET", f"/handoff/tickets/{ticket}")).text()
    link = f'href="/api/tickets/{ticket}/export" download>Exporter les données (JSON)</a>'
    assert link in coord_page and 'id="data-erase"' in coord_page
    assert "Effacer toutes les données" in coord_page
    assert "data-export" not in anne_page and "data-erase" not in anne_page


def test_the_openapi_document_lists_both_routes() -> None:
    paths = document()["paths"]
    export = paths["/api/tickets/{id}/export"]["get"]
    erase = paths["/api/tickets/{id}/erase"]["post"]
    assert {"401", "403", "404"} <= set(export["responses"])
    assert {"401", "403", "404", "422"} <= set(erase["responses"])
    assert export["security"] == [{"session": []}]
    assert erase["security"] == [{"session": [], "csrf": []}]
    schema = export["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/DataExport"}
    assert "Content-Disposition" in export["responses"]["200"]["headers"]
    body = erase["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["confirm"] and body["properties"]["confirm"] == {"const": True}
