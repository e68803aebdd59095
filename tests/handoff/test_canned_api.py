"""Canned replies one by one through the JSON API: create, edit, move, delete, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.support.resources import of
from tests.support.staff import fast_hashing, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

HELLO = {"title": "Bonjour", "text": "Bonjour, je suis conseillère à la Mission locale."}
MEET = {"title": "Rendez-vous", "text": "On se voit mardi à 14 h ?"}
THANKS = {"title": "Merci", "text": "Merci à toi, à bientôt."}


async def test_the_coordinator_builds_the_list_reply_by_reply(client: TestClient) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "c@ml55.fr") as counsellor,
    ):
        made = [
            (await coord.post("/api/canned-replies", body))[1]["reply"] for body in (HELLO, MEET)
        ]
        status, first = await coord.post("/api/canned-replies", {**THANKS, "position": 0})
        assert status == 201 and first["reply"]["position"] == 0
        hello, meet, thanks = made[0]["id"], made[1]["id"], first["reply"]["id"]
        _, listed = await counsellor.get("/api/canned-replies")
        assert [r["id"] for r in listed["replies"]] == [thanks, hello, meet]

        status, moved = await coord.call("PATCH", f"/api/canned-replies/{thanks}", {"position": 2})
        assert status == 200 and moved["reply"]["position"] == 2
        status, edited = await coord.call(
            "PATCH", f"/api/canned-replies/{meet}", {"text": "On se voit jeudi ?"}
        )
        assert edited["reply"] == {
            "id": meet,
            "title": "Rendez-vous",
            "text": "On se voit jeudi ?",
            "position": 1,
        }
        assert await coord.call("DELETE", f"/api/canned-replies/{hello}") == (204, None)
        _, listed = await counsellor.get("/api/canned-replies")
    assert [(r["title"], r["position"]) for r in listed["replies"]] == [
        ("Rendez-vous", 0),
        ("Merci", 1),
    ]
    log = await of(client.app).store.audit_trail([f"canned:{i}" for i in (hello, meet, thanks)])
    assert [e.action for e in log] == [
        "canned_reply_created",
        "canned_reply_created",
        "canned_reply_created",
        "canned_reply_moved",
        "canned_reply_edited",
        "canned_reply_deleted",
    ]
    assert all("Mission locale" not in str(e.details) for e in log)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({**HELLO, "title": "   "}, "Le champ title doit contenir du texte (80"),
        ({**HELLO, "title": "x" * 81}, "Le champ title doit contenir du texte (80"),
        ({**HELLO, "text": "x" * 2001}, "Le champ text doit contenir du texte (2000"),
        ({"title": "Bonjour"}, "Champ manquant : text."),
        ({**HELLO, "position": -1}, "Position invalide"),
        ({**HELLO, "position": "1"}, "Position invalide"),
        ({**HELLO, "text": 12}, "Champ invalide : text."),
    ],
)
async def test_bad_replies_are_refused_with_the_reason_and_nothing_is_saved(
    client: TestClient, body: dict[str, Any], error: str
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, answer = await coord.post("/api/canned-replies", body)
        _, listed = await coord.get("/api/canned-replies")
    assert status == 422 and error in answer["error"]
    assert listed["replies"] == []


async def test_edits_of_a_missing_or_untouched_reply_are_refused(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        _, made = await coord.post("/api/canned-replies", HELLO)
        item = made["reply"]["id"]
        gone = {"error": "Cette réponse type n'existe pas (ou plus)."}
        assert await coord.call("PATCH", "/api/canned-replies/nope", {"title": "x"}) == (404, gone)
        assert await coord.call("DELETE", "/api/canned-replies/nope") == (404, gone)
        empty = await coord.call("PATCH", f"/api/canned-replies/{item}", {})
        assert empty[0] == 422 and "Rien à changer" in empty[1]["error"]
        blank = await coord.call("PATCH", f"/api/canned-replies/{item}", {"text": " "})
        assert blank[0] == 422
        _, listed = await coord.get("/api/canned-replies")
    assert listed["replies"][0]["text"] == HELLO["text"]


async def test_the_list_holds_fifty_replies_at_most(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        replies = [{"title": f"R{i}", "text": "texte"} for i in range(50)]
        assert (await coord.call("PUT", "/api/canned-replies", {"replies": replies}))[0] == 200
        full = await coord.post("/api/canned-replies", HELLO)
    assert full == (
        409,
        {"error": "Il y a déjà 50 réponses types : supprimez-en une avant d'en ajouter."},
    )


async def test_counsellors_read_but_do_not_change_the_list(client: TestClient) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "c@ml55.fr") as counsellor,
    ):
        _, made = await coord.post("/api/canned-replies", HELLO)
        item = made["reply"]["id"]
        role = {"error": "Cette action est réservée à la coordination."}
        assert await counsellor.post("/api/canned-replies", MEET) == (403, role)
        assert await counsellor.call("PATCH", f"/api/canned-replies/{item}", MEET) == (403, role)
        assert await counsellor.call("DELETE", f"/api/canned-replies/{item}") == (403, role)
        no_csrf = await coord.call("DELETE", f"/api/canned-replies/{item}", csrf=False)
        assert no_csrf[0] == 403
        _, listed = await counsellor.get("/api/canned-replies")
    assert [r["id"] for r in listed["replies"]] == [item]
