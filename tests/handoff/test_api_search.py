"""Finding tickets through `GET /api/tickets?q=…`: words, filters, statuses, and bad input."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient

from tests.support.chat import ChatClient
from tests.support.staff import fast_hashing, finish_intake, logged_in, ticket_of

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")


async def _ids(c: object, query: str) -> list[str]:
    status, body = await c.get(f"/api/tickets?{query}")  # type: ignore[attr-defined]
    assert status == 200, body
    return [t["id"] for t in body["tickets"]]


async def test_search_by_words_and_statuses(client: TestClient, chat: ChatClient) -> None:
    await finish_intake(chat)  # Lina, from Stenay
    lina = await ticket_of(client, chat)
    async with ChatClient.connect(client) as other:
        await finish_intake(other, name="Noah")
        await other.say("je cherche un garage solidaire")
        noah = await ticket_of(client, other)
    async with logged_in(client, "c@ml55.fr") as c:
        assert await _ids(c, "") == [lina, noah]  # no parameter: the waiting queue, as before
        assert await _ids(c, "q=garage") == [noah]
        assert await _ids(c, f"q={quote('Sténay')}") == [noah, lina]  # newest first
        assert await _ids(c, "q=lina&status=waiting") == [lina]
        assert await _ids(c, "status=mine") == []
        status, _ = await c.post(f"/api/tickets/{lina}/claim")
        assert status == 200
        assert await _ids(c, "status=mine") == [lina]
        assert await _ids(c, "q=stenay&status=waiting") == [noah]
        status, _ = await c.post(
            f"/api/tickets/{lina}/close", {"outcome": "registered_mission_locale"}
        )
        assert status == 200
        assert await _ids(c, "status=closed&q=lina") == [lina]
        assert await _ids(c, "q=lina") == []  # "open" is the default of a search
        assert await _ids(c, "status=all&channel=web&urgent=false") == [noah, lina]
        assert await _ids(c, "status=all&to=2001-01-01") == []
        assert await _ids(c, "status=all&from=2001-01-01&need=job") == [noah, lina]
        assert await _ids(c, "status=all&territory=Nowhere") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=" + "x" * 201, "q"),
        ("q=a&urgent=maybe", "urgent"),
        ("q=a&channel=fax", "channel"),
        ("q=a&from=2026-13-01", "from"),
        ("q=a&limit=0", "limit"),
        ("q=a&territory=%20", "territory"),
    ],
)
async def test_bad_search_parameters_are_named(client: TestClient, query: str, field: str) -> None:
    async with logged_in(client, "c@ml55.fr") as c:
        status, body = await c.get(f"/api/tickets?{query}")
    assert status == 422 and field in body["error"]


async def test_an_unknown_status_and_a_missing_session_are_refused(client: TestClient) -> None:
    anonymous = await client.get("/api/tickets?q=lina")
    assert anonymous.status == 401
    async with logged_in(client, "c@ml55.fr") as c:
        status, body = await c.get("/api/tickets?q=lina&status=everything")
    assert status == 422 and "mine" in body["error"]
