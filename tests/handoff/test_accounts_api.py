"""Accounts through the JSON API: invitations, roles, one-time reset links, own password."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp.test_utils import TestClient

from tests.support.resources import of
from tests.support.staff import (
    FAST_HASHER,
    PASSWORD,
    StaffClient,
    add_staff,
    fast_hashing,
    logged_in,
)

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

ZOE = {"display_name": "Zoé Invent", "email": "zoe.invent@ml55.fr", "role": "counsellor"}
NEW_PASSWORD = "une phrase assez longue"
SPENT = (
    "Ce lien n'est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau à la coordination."
)


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def _invite(coord: StaffClient, body: dict[str, Any] = ZOE) -> tuple[dict[str, Any], str]:
    status, answer = await coord.post("/api/staff/invitations", body)
    assert status == 201, answer
    return answer["staff"], answer["reset"]["link"]


async def test_an_invited_person_sets_a_password_through_the_link_once(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        staff, link = await _invite(coord)
        assert staff["display_name"] == "Zoé Invent" and staff["role"] == "counsellor"
        assert link.startswith("http://127.0.0.1:8080/handoff/reset?token=")
    zoe = StaffClient(client)
    try:
        token = _token(link)
        assert await zoe.post(
            "/api/password-reset", {"token": token, "password": NEW_PASSWORD}
        ) == (
            204,
            None,
        )
        again = await zoe.post(
            "/api/password-reset", {"token": token, "password": "autre phrase longue"}
        )
        assert again == (403, {"error": SPENT})
        assert (await zoe.login("zoe.invent@ml55.fr", NEW_PASSWORD)).status == 200
    finally:
        await zoe.close()
    store = of(client.app).store
    trail = await store.audit_trail([f"staff:{staff['id']}"])
    assert [e.action for e in trail] == ["staff_created", "password_link_created", "password_reset"]
    assert all("zoe" not in str(e.details).lower() for e in trail)


async def test_a_reset_link_follows_the_password_rules_and_ends_every_session(
    client: TestClient,
) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "anne@ml55.fr") as anne,
    ):
        status, made = await coord.post(f"/api/staff/{anne.staff['id']}/reset-link")
        assert status == 201
        token = _token(made["reset"]["link"])
        short = await anne.post("/api/password-reset", {"token": token, "password": "court"})
        assert short == (422, {"error": "Le mot de passe doit contenir au moins 10 caractères."})
        common = await anne.post("/api/password-reset", {"token": token, "password": "password123"})
        assert common[0] == 422 and "plus courants" in common[1]["error"]
        assert await anne.get("/api/me") != (401, None)  # refused tries change nothing
        assert (await anne.post("/api/password-reset", {"token": token, "password": NEW_PASSWORD}))[
            0
        ] == 204
        status, _ = await anne.get("/api/me")
        assert status == 401  # her open session ended with the new password
        assert (await anne.login("anne@ml55.fr")).status == 401  # the old password is gone
        assert (await anne.login("anne@ml55.fr", NEW_PASSWORD)).status == 200


async def test_a_new_link_replaces_the_earlier_one_and_bad_tokens_are_refused(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        staff, first = await _invite(coord)
        _, second = await coord.post(f"/api/staff/{staff['id']}/reset-link")
        for token in (_token(first), "not-a-token", ""):
            answer = await coord.post(
                "/api/password-reset", {"token": token, "password": NEW_PASSWORD}
            )
            assert answer == (403, {"error": SPENT})
        ok = {"token": _token(second["reset"]["link"]), "password": NEW_PASSWORD}
        assert (await coord.post("/api/password-reset", ok))[0] == 204
        # A cross-site form can only post text/plain: refused before reading it.
        resp = await coord.session.post(
            client.make_url("/api/password-reset"),
            data=b"token=x",
            headers={"Content-Type": "text/plain"},
        )
        assert resp.status == 415


async def test_a_disabled_account_gets_no_link_and_its_link_stops_working(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        staff, link = await _invite(coord)
        assert (await coord.post(f"/api/staff/{staff['id']}/disable"))[0] == 200
        refused = await coord.post(f"/api/staff/{staff['id']}/reset-link")
        assert refused == (
            409,
            {"error": "Ce compte est désactivé : aucun lien ne peut lui être donné."},
        )
        answer = await coord.post(
            "/api/password-reset", {"token": _token(link), "password": NEW_PASSWORD}
        )
        assert answer[0] == 403


async def test_the_coordinator_changes_a_role_but_not_their_own(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        staff, _ = await _invite(coord)
        status, body = await coord.post(f"/api/staff/{staff['id']}/role", {"role": "coordinator"})
        assert status == 200 and body["staff"]["role"] == "coordinator"
        own = await coord.post(f"/api/staff/{coord.staff['id']}/role", {"role": "counsellor"})
        assert own == (403, {"error": "Vous ne pouvez pas changer votre propre rôle."})
        bad = await coord.post(f"/api/staff/{staff['id']}/role", {"role": "boss"})
        assert bad == (422, {"error": "Rôle inconnu : counsellor ou coordinator."})
        assert (await coord.post("/api/staff/9999/role", {"role": "counsellor"}))[0] == 404
        assert (await coord.post("/api/staff/abc/role", {"role": "counsellor"}))[0] == 404
    trail = await of(client.app).store.audit_trail([f"staff:{staff['id']}"])
    assert [(e.action, e.details) for e in trail][-1] == (
        "staff_role_changed",
        {"role": "coordinator"},
    )


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({**ZOE, "display_name": "  "}, 422, "Le champ display_name doit contenir du texte"),
        ({**ZOE, "email": "pas-une-adresse"}, 422, "Adresse e-mail invalide."),
        ({**ZOE, "role": "admin"}, 422, "Rôle inconnu"),
        ({"email": "x@ml55.fr", "role": "counsellor"}, 422, "Champ manquant : display_name."),
        ({**ZOE, "email": "coord@ml55.fr"}, 409, "Un compte existe déjà avec cette adresse."),
    ],
)
async def test_bad_invitations_are_refused_with_the_reason_and_nothing_is_made(
    client: TestClient, body: dict[str, Any], status: int, error: str
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        answer = await coord.post("/api/staff/invitations", body)
        _, listed = await coord.get("/api/staff")
    assert answer[0] == status and error in answer[1]["error"]
    assert [s["email"] for s in listed["staff"]] == ["coord@ml55.fr"]


async def test_account_routes_are_for_the_coordinator_with_the_csrf_token(
    client: TestClient,
) -> None:
    other = await add_staff(client, "other@ml55.fr")
    routes = [
        ("/api/staff/invitations", ZOE),
        (f"/api/staff/{other.id}/role", {"role": "coordinator"}),
        (f"/api/staff/{other.id}/reset-link", {}),
    ]
    async with (
        logged_in(client, "c@ml55.fr") as counsellor,
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
    ):
        for path, body in routes:
            assert await counsellor.post(path, body) == (
                403,
                {"error": "Cette action est réservée à la coordination."},
            )
            no_csrf = await coord.post(path, body, csrf=False)
            assert no_csrf == (
                403,
                {"error": "Session expirée ou requête non autorisée : rechargez la page."},
            )
        anonymous = StaffClient(client)
        try:
            assert (await anonymous.post("/api/staff/invitations", ZOE))[0] == 401
            assert (await anonymous.post("/api/me/password", {}))[0] == 401
        finally:
            await anonymous.close()
    assert (await of(client.app).store.get_staff(other.id)).role == "counsellor"  # type: ignore[union-attr]


async def test_a_counsellor_changes_their_own_password_and_other_sessions_end(
    client: TestClient,
) -> None:
    async with logged_in(client, "anne@ml55.fr") as here:
        there = StaffClient(client)
        try:
            assert (await there.login("anne@ml55.fr")).status == 200
            body = {"current_password": PASSWORD, "password": NEW_PASSWORD}
            assert await here.post("/api/me/password", body, csrf=False) == (
                403,
                {"error": "Session expirée ou requête non autorisée : rechargez la page."},
            )
            assert await here.post("/api/me/password", body) == (204, None)
            assert (await here.get("/api/me"))[0] == 200  # this session stays
            assert (await there.get("/api/me"))[0] == 401  # the other one ended
        finally:
            await there.close()
        assert (await here.login("anne@ml55.fr", NEW_PASSWORD)).status == 200
    trail = await of(client.app).store.audit_trail([f"staff:{here.staff['id']}"])
    assert [e.action for e in trail] == ["password_changed"]


async def test_a_wrong_current_password_is_refused_and_throttled_like_a_login(
    client: TestClient,
) -> None:
    async with logged_in(client, "anne@ml55.fr") as anne:
        wrong = {"current_password": "pas le bon du tout", "password": NEW_PASSWORD}
        answers = [await anne.post("/api/me/password", wrong) for _ in range(4)]
        assert answers[0] == (403, {"error": "Le mot de passe actuel n'est pas le bon."})
        assert answers[-1][0] == 429 and "Trop de tentatives" in answers[-1][1]["error"]
        weak = await anne.post(
            "/api/me/password", {"current_password": PASSWORD, "password": "court"}
        )
        assert weak[0] == 422
        assert (await anne.get("/api/me"))[0] == 200  # refusals end no session
    found = await of(client.app).store.find_login("anne@ml55.fr")
    assert found is not None and FAST_HASHER.verify(found[1], PASSWORD)  # unchanged
