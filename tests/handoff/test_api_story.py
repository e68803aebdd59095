"""Reopening a closed ticket through `POST /api/tickets/{id}/reopen`."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.support.chat import ChatClient
from tests.support.resources import of as resources_of
from tests.support.staff import fast_hashing, finish_intake, logged_in, ticket_of

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")


async def test_a_closed_ticket_is_reopened_and_the_youths_next_line_joins_it(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    async with logged_in(client, "marie@ml55.fr", name="Marie") as marie:
        status, body = await marie.post(f"/api/tickets/{ticket}/reopen")
        assert status == 409 and "rouvert" in body["error"]  # still open
        assert (await marie.post(f"/api/tickets/{ticket}/claim"))[0] == 200
        closing = {"outcome": "registered_mission_locale"}
        assert (await marie.post(f"/api/tickets/{ticket}/close", closing))[0] == 200
        status, body = await marie.post(f"/api/tickets/{ticket}/reopen")
        assert status == 200 and body["ticket"]["status"] == "assigned"
        assert body["ticket"]["holder"] == "Marie"
        status, _ = await marie.post("/api/tickets/nope/reopen")
        assert status == 404
    frames = await chat.say("re, c'est encore moi")
    runtime = resources_of(client.app)
    said = [(f.get("from"), f.get("text")) for f in frames if f.get("type") == "message"]
    # Only the line the claim sent (Marie joined; the reopen sends none): the bot stays quiet.
    assert said == [("system", runtime.texts("presence.joined", name="Marie"))]
    conv = await runtime.store.find_conversation("web", chat.user_id)
    assert conv is not None and conv.mode == "human" and conv.ticket_id == ticket
    assert (await runtime.store.thread(conv.id))[-1].ticket_id == ticket
    trail = await runtime.store.audit_trail([f"ticket:{ticket}"])
    assert "ticket_reopened" in [e.action for e in trail]
