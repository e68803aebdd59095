"""The JSON API through the real server: sessions, roles, CSRF, invalid input, the document."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from handoff.openapi import document
from tests.support.chat import ChatClient
from tests.support.staff import (
    PASSWORD,
    fast_hashing,
    finish_intake,
    logged_in,
    ticket_of,
)

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    ops = []
    for path, item in document()["paths"].items():
        for method, op in item.items():
            ops.append((method.upper(), path.replace("{id}", "1"), op))
    return ops


PROTECTED = [(m, p) for m, p, op in _operations() if op["security"]]
WITH_CSRF = [(m, p) for m, p, op in _operations() if {"session": [], "csrf": []} in op["security"]]
COORDINATOR_ONLY = [
    ("PUT", "/api/canned-replies", {"replies": []}),
    ("POST", "/api/staff", {"email": "x@ml55.fr", "password": PASSWORD, "role": "counsellor"}),
    ("POST", "/api/staff/1/disable", {}),
]


# --- who may call what ---------------------------------------------------------------
@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_every_protected_route_says_401_without_a_session(
    client: TestClient, method: str, path: str
) -> None:
    resp = await client.request(method, path, json={})
    assert resp.status == 401
    body = await resp.json()
    assert body["error"] == "Veuillez vous connecter."


@pytest.mark.parametrize(("method", "path"), WITH_CSRF)
async def test_state_changing_routes_need_the_csrf_token(
    client: TestClient, method: str, path: str
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        for token in (None, "not-the-token"):
            status, body = await coord.call(method, path, {}, csrf=token)
            assert status == 403, (method, path, token)
            assert "rechargez la page" in body["error"]


@pytest.mark.parametrize(("method", "path", "body"), COORDINATOR_ONLY)
async def test_coordinator_routes_refuse_counsellors(
    client: TestClient, method: str, path: str, body: dict[str, Any]
) -> None:
    async with logged_in(client, "conseil@ml55.fr") as counsellor:
        status, answer = await counsellor.call(method, path, body)
    assert status == 403
    assert answer == {"error": "Cette action est réservée à la coordination."}


async def test_login_cookie_me_and_logout(client: TestClient) -> None:
    async with logged_in(client, "marie.dupont@ml55.fr") as marie:
        resp = await marie.login("marie.dupont@ml55.fr")
        cookie = resp.cookies["milomouv_session"]
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and not cookie["secure"]
        assert cookie["path"] == "/" and len(cookie.value) >= 43  # 256 random bits
        status, me = await marie.get("/api/me")
        assert status == 200 and me["csrf_token"] == marie.csrf
        assert me["staff"]["display_name"] == "Marie Dupont"
        assert me["staff"]["role"] == "counsellor"
        assert (await marie.request("DELETE", "/api/session")).status == 204
        assert (await marie.get("/api/me"))[0] == 401


async def test_session_cookie_is_secure_behind_https(
    aiohttp_client: Any, make_settings: Any
) -> None:
    from bot.app import create_app

    client = await aiohttp_client(create_app(make_settings(public_url="https://milomouv.fr")))
    async with logged_in(client, "a@ml55.fr") as person:
        resp = await person.request(
            "POST", "/api/session", {"email": "a@ml55.fr", "password": PASSWORD}
        )
    assert "Secure" in resp.headers["Set-Cookie"] and "HttpOnly" in resp.headers["Set-Cookie"]


async def test_bad_password_and_unknown_email_look_the_same(client: TestClient) -> None:
    async with logged_in(client, "a@ml55.fr") as person:
        wrong = await person.call(
            "POST", "/api/session", {"email": "a@ml55.fr", "password": "x" * 12}
        )
        unknown = await person.call(
            "POST", "/api/session", {"email": "b@ml55.fr", "password": "x" * 12}
        )
    assert wrong == unknown == (401, {"error": "E-mail ou mot de passe incorrect."})


async def test_disabled_account_loses_its_session(client: TestClient) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "leaving@ml55.fr") as leaving,
    ):
        status, body = await coord.post(f"/api/staff/{leaving.staff['id']}/disable")
        assert status == 200 and body["staff"]["active"] is False
        assert (await leaving.get("/api/me"))[0] == 401
        assert (await leaving.login("leaving@ml55.fr")).status == 401
        assert (await coord.post(f"/api/staff/{coord.staff['id']}/disable"))[0] == 403
        assert (await coord.post("/api/staff/999/disable"))[0] == 404


async def test_staff_lists_depend_on_the_role(client: TestClient) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "c1@ml55.fr", territory="CC du Pays de Stenay") as c1,
    ):
        status, created = await coord.post(
            "/api/staff",
            {
                "email": "c2@ml55.fr",
                "password": PASSWORD,
                "role": "counsellor",
                "display_name": "Karim",
            },
        )
        assert status == 201 and created["staff"]["display_name"] == "Karim"
        again = await coord.post(
            "/api/staff", {"email": "C2@ml55.fr", "password": PASSWORD, "role": "counsellor"}
        )
        assert again == (409, {"error": "Un compte existe déjà avec cette adresse."})
        short = await coord.post(
            "/api/staff", {"email": "c3@ml55.fr", "password": "court", "role": "counsellor"}
        )
        assert short[0] == 422 and "10 caractères" in short[1]["error"]
        _, all_accounts = await coord.get("/api/staff")
        assert {s["email"] for s in all_accounts["staff"]} == {
            "coord@ml55.fr",
            "c1@ml55.fr",
            "c2@ml55.fr",
        }
        _, colleagues = await c1.get("/api/staff")
        assert {s["display_name"] for s in colleagues["staff"]} == {"Coord", "Karim"}
        assert all("email" not in s for s in colleagues["staff"])
        _, territories = await c1.get("/api/territories")
        assert territories == {"territories": ["CC du Pays de Stenay"]}


# --- invalid input -----------------------------------------------------------------
async def test_invalid_input_is_422_with_a_clear_message(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    base = f"/api/tickets/{ticket}"
    async with logged_in(client, "c@ml55.fr") as c:
        assert (await c.post(f"{base}/claim"))[0] == 200
        cases = [
            ("messages", None, b"{not json", "corps doit être un objet JSON"),
            ("messages", None, b"[1, 2]", "corps doit être un objet JSON"),
            ("messages", {}, None, "Champ manquant : text."),
            ("messages", {"text": 5}, None, "Champ invalide : text."),
            ("messages", {"text": "   "}, None, "Le message est vide."),
            ("messages", {"text": "x" * 2001}, None, "dépasse 2000 caractères"),
            ("notes", {"text": ""}, None, "La note est vide."),
            ("close", {"outcome": "won"}, None, "Issue inconnue"),
            ("transfer", {}, None, "pas les deux"),
            ("transfer", {"staff_id": 1, "territory": "Verdun"}, None, "pas les deux"),
            ("transfer", {"staff_id": "1"}, None, "Champ invalide : staff_id."),
            (
                "meetings",
                {"date": "2020-01-01", "time": "14:00", "place": "ici"},
                None,
                "Date invalide",
            ),
            (
                "meetings",
                {"date": "demain", "time": "14:00", "place": "ici"},
                None,
                "Date invalide",
            ),
            (
                "meetings",
                {"date": "2999-01-01", "time": "14:00", "place": "ici"},
                None,
                "Date invalide",
            ),
            (
                "meetings",
                {"date": _soon(), "time": "25:00", "place": "ici"},
                None,
                "Heure invalide",
            ),
            (
                "meetings",
                {"date": _soon(), "time": "14:00", "place": " "},
                None,
                "Indiquez le lieu",
            ),
        ]
        for action, body, raw, expected in cases:
            resp = await c.request("POST", f"{base}/{action}", body, raw=raw)
            answer = await resp.json()
            assert resp.status == 422, (action, body, raw, answer)
            assert expected in answer["error"], (action, answer)
        assert (await c.get("/api/tickets?status=everything"))[0] == 422
        assert (await c.get("/api/tickets?limit=0"))[0] == 422


def _soon() -> str:
    return (datetime.date.today() + datetime.timedelta(days=3)).isoformat()


async def test_unknown_things_are_404_in_json(client: TestClient) -> None:
    async with logged_in(client, "c@ml55.fr") as c:
        assert await c.get("/api/tickets/999") == (404, {"error": "Ce ticket n'existe pas."})
        assert (await c.get("/api/tickets/abc"))[0] == 404
        assert (await c.post("/api/tickets/99999999999999999999/claim"))[0] == 404
        assert await c.get("/api/nothing-here") == (404, {"error": "Introuvable."})
        resp = await c.request("PATCH", "/api/tickets/1")
        assert resp.status == 405 and "GET" in resp.headers["Allow"]


# --- a ticket's life ------------------------------------------------------------------
async def test_canned_replies_edited_by_the_coordinator(client: TestClient) -> None:
    replies = [{"title": "Bonjour", "text": "Bonjour, je suis conseiller à la Mission locale."}]
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "c@ml55.fr") as c,
    ):
        assert await c.get("/api/canned-replies") == (200, {"replies": []})
        status, put = await coord.call("PUT", "/api/canned-replies", {"replies": replies})
        assert status == 200
        # Each reply comes back with the id and position the item routes take.
        assert [{"title": r["title"], "text": r["text"]} for r in put["replies"]] == replies
        assert [r["position"] for r in put["replies"]] == [0] and put["replies"][0]["id"]
        assert await c.get("/api/canned-replies") == (200, put)
        bad = await coord.call(
            "PUT", "/api/canned-replies", {"replies": [{"title": "", "text": "x"}]}
        )
        assert bad[0] == 422
        assert (await coord.call("PUT", "/api/canned-replies", {"replies": "x"}))[0] == 422


async def test_openapi_document_matches_the_routes(client: TestClient) -> None:
    resp = await client.get("/api/openapi.json")
    doc = await resp.json()
    assert doc["openapi"] == "3.1.0"
    documented = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    api_app = next(r for r in client.app.router.resources() if r.canonical == "/api")
    served = {
        (route.method, route.resource.canonical)
        for route in api_app._app.router.routes()  # type: ignore[attr-defined]
    }
    assert documented == served


def test_openapi_document_is_valid() -> None:
    import schemathesis

    schema = schemathesis.openapi.from_dict(document())
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) == sum(len(item) for item in document()["paths"].values())
