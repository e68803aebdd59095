"""Territories through the JSON API and the queue: coordinator edits, routing follows them."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.support.chat import ChatClient, texts
from tests.support.resources import of
from tests.support.staff import StaffClient, add_staff, fast_hashing, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

SUD, NORD = "/api/structures/sud-meusien", "/api/structures/nord-meusien"


async def youth_from(client: TestClient, commune: str, name: str) -> str:
    """A youth goes through the intake; returns the closing message."""
    async with ChatClient.connect(client) as chat:
        await chat.say("salut")
        await chat.tap("START")
        await chat.say(name)
        await chat.say("19")
        await chat.say(commune)
        await chat.tap("NEED:job")
        await chat.tap("CONTACT:chat")
        await chat.tap("AVAIL:any")
        return texts(await chat.tap("SUMMARY:ok"))


async def test_the_coordinator_reads_the_default_marked_to_check(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.get("/api/structures")
        assert status == 200
        by_id = {s["id"]: s for s in body["structures"]}
        assert set(by_id) == {"nord-meusien", "sud-meusien"}
        assert all(s["default_to_check"] for s in by_id.values())
        bar = {"code": "55029", "name": "Bar-le-Duc"}
        assert bar in by_id["sud-meusien"]["communes"]
        status, page = await html(coord, "/handoff/territories")
        assert status == 200
        assert "à vérifier" in page and "Mission locale du Sud meusien" in page


async def test_a_counsellor_may_not_read_or_edit_territories(client: TestClient) -> None:
    async with logged_in(client, "cam@ml55.fr") as cam:
        assert (await cam.get("/api/structures"))[0] == 403
        status, _ = await cam.post(f"{NORD}/areas", {"area": "Bar-le-Duc"})
        assert status == 403
        assert (await html(cam, "/handoff/territories"))[0] == 403


async def test_moving_bar_le_duc_routes_its_next_youth_to_nord(client: TestClient) -> None:
    runtime = of(client.app)
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.post(f"{NORD}/areas", {"kind": "commune", "area": "bar le duc"})
        assert status == 200, body
        assert {"code": "55029", "name": "Bar-le-Duc"} in body["structure"]["communes"]
        assert body["structure"]["default_to_check"] is False
        _, sud = await coord.get(SUD)
        assert "55029" not in [c["code"] for c in sud["structure"]["communes"]]
        # Removed by name, given back by INSEE code: the other structure's list is untouched.
        status, body = await coord.post(f"{NORD}/areas/remove", {"code": "Stenay"})
        assert status == 200 and "55502" not in [c["code"] for c in body["structure"]["communes"]]
        status, body = await coord.post(f"{NORD}/areas", {"area": "55502"})
        assert status == 200 and "55502" in [c["code"] for c in body["structure"]["communes"]]
    closing = await youth_from(client, "Bar-le-Duc", "Lina")
    assert "Mission locale du Nord meusien" in closing
    (ticket,) = await runtime.store.list_tickets("waiting")
    assert ticket.snapshot["structure"] == "nord-meusien"
    trail = await runtime.store.audit_trail(["structure:nord-meusien"])
    assert [e.action for e in trail] == [
        "structure_area_added",
        "structure_area_removed",
        "structure_area_added",
    ]
    assert trail[0].details == {"kind": "commune", "code": "55029"}  # ids only


async def test_bad_areas_and_unknown_structures_are_refused_with_the_reason(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.post(f"{NORD}/areas", {"area": "Zzyzxville"})
        assert status == 422 and "Zzyzxville" in body["error"]
        status, body = await coord.post(f"{NORD}/areas", {"kind": "region", "area": "Verdun"})
        assert status == 422 and "commune ou epci" in body["error"]
        status, _ = await coord.post("/api/structures/ghost/areas", {"area": "Verdun"})
        assert status == 404
        status, body = await coord.call("PUT", "/api/structures/Bad Id!", {"name": "X"})
        assert status in (404, 422)
        status, body = await coord.call("PUT", "/api/structures/asso", {"name": "  "})
        assert status == 422 and "name" in body["error"]


async def test_a_new_structure_outside_the_meuse_takes_its_youths(client: TestClient) -> None:
    runtime = of(client.app)
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.call(
            "PUT",
            "/api/structures/asso-toul",
            {"name": "Association de Toul", "contact": "03 83 00 00 00", "communes": ["Toul"]},
        )
        assert status == 200, body
        assert [c["name"] for c in body["structure"]["communes"]] == ["Toul"]
        # A full replacement: the list given is the list kept.
        status, body = await coord.call(
            "PUT", "/api/structures/asso-toul", {"name": "Asso Toul", "communes": []}
        )
        assert status == 200 and body["structure"]["communes"] == []
        await coord.call("PUT", "/api/structures/asso-toul", {"name": "Asso", "communes": ["Toul"]})
    closing = await youth_from(client, "Toul", "Inès")
    assert "Asso" in closing
    (ticket,) = await runtime.store.list_tickets("waiting")
    assert ticket.snapshot["structure"] == "asso-toul"
    async with logged_in(client, "coord2@ml55.fr", "coordinator") as coord:
        assert (await coord.call("DELETE", "/api/structures/asso-toul"))[0] == 200
        assert (await coord.call("DELETE", "/api/structures/asso-toul"))[0] == 404


async def test_members_join_one_structure_and_see_its_tickets_first(client: TestClient) -> None:
    sud_staff = await add_staff(client, "sud@ml55.fr", name="Camille Sud")
    await youth_from(client, "Stenay", "Lina")  # older: first in arrival order
    await youth_from(client, "Bar-le-Duc", "Inès")
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, _ = await coord.call("PUT", f"{SUD}/members", {"staff_id": sud_staff.id})
        assert status == 200
        _, body = await coord.get(SUD)
        assert body["structure"]["members"] == [sud_staff.id]
        assert (await coord.call("PUT", f"{SUD}/members", {"staff_id": 999}))[0] == 404
    cam = await _login(client, "sud@ml55.fr")
    try:
        _, page = await html(cam, "/handoff/")
        assert page.index("Inès") < page.index("Lina")  # Bar-le-Duc first: Sud meusien's
        assert "Mission locale du Sud meusien" in page and 'href="?structure=all"' in page
        _, every = await html(cam, "/handoff/?structure=all")
        assert every.index("Lina") < every.index("Inès")  # arrival order
        status, found = await cam.get("/api/tickets?status=waiting&structure=sud-meusien")
        assert status == 200
        assert [t["first_name"] for t in found["tickets"]] == ["Inès"]
        assert found["tickets"][0]["structure"] == "sud-meusien"
    finally:
        await cam.close()
    async with logged_in(client, "coord3@ml55.fr", "coordinator") as coord:
        await coord.post(f"{SUD}/members/remove", {"staff_id": sud_staff.id})
        _, body = await coord.get(SUD)
        assert body["structure"]["members"] == []


async def _login(client: TestClient, email: str) -> StaffClient:
    person = StaffClient(client)
    resp = await person.login(email)
    assert resp.status == 200
    return person


async def html(person: StaffClient, path: str) -> tuple[int, str]:
    resp = await person.request("GET", path)
    return resp.status, await resp.text()
