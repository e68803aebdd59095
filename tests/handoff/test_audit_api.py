"""The audit log through the JSON API: coordinator only, filters, pages, no personal data."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.support.resources import of
from tests.support.staff import fast_hashing, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")


async def test_the_log_is_newest_first_filtered_and_paged(client: TestClient) -> None:
    store = of(client.app).store
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        me = f"staff:{coord.staff['id']}"
        await store.audit("cli", "staff_disabled", "staff:9", {"requeued": 0}, 1.0)
        for n in range(3):
            await coord.post("/api/canned-replies", {"title": f"R{n}", "text": "Texte inventé"})
        status, every = await coord.get("/api/audit")
        assert status == 200 and every["next_before"] is None
        assert [e["action"] for e in every["entries"]] == ["canned_reply_created"] * 3 + [
            "staff_disabled"
        ]
        assert every["entries"][0]["actor"] == me
        assert every["entries"][0]["actor_name"] == coord.staff["display_name"]
        assert "Texte inventé" not in str(every)

        _, mine = await coord.get(f"/api/audit?actor={me}")
        assert len(mine["entries"]) == 3
        _, cli = await coord.get("/api/audit?action=staff_disabled")
        assert [e["actor"] for e in cli["entries"]] == ["cli"]
        _, first = await coord.get("/api/audit?limit=2")
        assert len(first["entries"]) == 2 and first["next_before"] == first["entries"][1]["id"]
        _, second = await coord.get(f"/api/audit?limit=2&before={first['next_before']}")
        assert [e["id"] for e in first["entries"] + second["entries"]] == [
            e["id"] for e in every["entries"]
        ]
        _, old = await coord.get("/api/audit?from=1970-01-01&to=1970-01-02")
        assert [e["action"] for e in old["entries"]] == ["staff_disabled"]


@pytest.mark.parametrize(
    "query",
    ["from=2026-13-01", "from=2026-11-02&to=2026-11-01", "actor=<b>", "limit=0", "before=x"],
)
async def test_bad_filters_are_refused_with_the_reason(client: TestClient, query: str) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.get(f"/api/audit?{query}")
    assert status == 422 and body["error"].startswith(("Période invalide", "Filtre invalide"))


async def test_only_the_coordinator_reads_the_log(client: TestClient) -> None:
    async with logged_in(client, "c@ml55.fr") as counsellor:
        assert await counsellor.get("/api/audit") == (
            403,
            {"error": "Cette action est réservée à la coordination."},
        )
