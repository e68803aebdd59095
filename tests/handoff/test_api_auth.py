"""First-start link, login throttling, session expiry and password storage, through the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
import structlog
from aiohttp.test_utils import TestClient

from bot.app import create_app
from tests.support.resources import of as resources_of
from tests.support.staff import PASSWORD, StaffClient, add_staff, fast_hashing

__all__ = ["fast_hashing"]

START = 1_796_029_200.0  # a Monday, 10:00 in Paris


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def start_app(aiohttp_client: Any, make_settings: Any, clock: Clock) -> Any:
    async def start(
        url: str = "https://milomouv.example",
    ) -> tuple[TestClient, list[dict[str, Any]]]:
        with structlog.testing.capture_logs() as logs:
            client = await aiohttp_client(create_app(make_settings(public_url=url), clock=clock))
        return client, logs

    return start


def _setup_token(logs: list[dict[str, Any]]) -> str | None:
    links = [e["setup_url"] for e in logs if "setup_url" in e]
    if not links:
        return None
    match = re.fullmatch(
        r"https://milomouv\.example/handoff/setup\?token=([A-Za-z0-9_-]{43})", links[0]
    )
    assert match, links[0]
    return match.group(1)


@pytest.mark.usefixtures("fast_hashing")
async def test_first_start_link_creates_the_first_coordinator_once(start_app: Any) -> None:
    client, logs = await start_app()
    token = _setup_token(logs)
    assert token is not None
    person = StaffClient(client)
    try:
        body = {"token": token, "email": "Coord@ML55.fr", "password": PASSWORD}
        assert (await person.post("/api/setup", {**body, "password": "court"}))[0] == 422
        assert (await person.post("/api/setup", {**body, "token": "x" * 43}))[0] == 403
        resp = await person.request("POST", "/api/setup", body)
        assert resp.status == 201
        created = await resp.json()
        assert (
            created["staff"]["role"] == "coordinator"
            and created["staff"]["email"] == "coord@ml55.fr"
        )
        assert "Secure" in resp.headers["Set-Cookie"]  # so this http test client keeps it back
        cookie = f"milomouv_session={resp.cookies['milomouv_session'].value}"
        me = await client.get("/api/me", headers={"Cookie": cookie})
        assert me.status == 200 and (await me.json())["csrf_token"] == created["csrf_token"]
        again = await person.post("/api/setup", {**body, "email": "other@ml55.fr"})
        assert again == (
            403,
            {"error": "Ce lien de création de compte est invalide, expiré ou déjà utilisé."},
        )
    finally:
        await person.close()
    await client.close()
    _, logs = await start_app()
    assert _setup_token(logs) is None  # an account exists: no link any more


@pytest.mark.usefixtures("fast_hashing")
async def test_first_start_link_expires(start_app: Any, clock: Clock) -> None:
    client, logs = await start_app()
    token = _setup_token(logs)
    clock.now += 25 * 3600
    body = {"token": token, "email": "c@ml55.fr", "password": PASSWORD}
    assert (await _post(client, "/api/setup", body))[0] == 403


async def _post(client: TestClient, path: str, body: Any) -> tuple[int, Any]:
    resp = await client.post(path, json=body)
    return resp.status, await resp.json()


@pytest.mark.usefixtures("fast_hashing")
async def test_sessions_expire_after_twelve_idle_hours(start_app: Any, clock: Clock) -> None:
    client, _ = await start_app("http://127.0.0.1:8080")
    await add_staff(client, "a@ml55.fr")
    person = StaffClient(client)
    try:
        assert (await person.login("a@ml55.fr")).status == 200
        clock.now += 11 * 3600
        assert (await person.get("/api/me"))[0] == 200  # activity keeps it alive
        clock.now += 11 * 3600
        assert (await person.get("/api/me"))[0] == 200
        clock.now += 12 * 3600 + 1
        assert (await person.get("/api/me"))[0] == 401
    finally:
        await person.close()


async def test_passwords_are_stored_as_argon2id_hashes(start_app: Any) -> None:
    client, _ = await start_app()  # the real, costly hasher
    await add_staff(client, "a@ml55.fr")
    store: Any = resources_of(client.app).store
    rows = await store._read_all("SELECT password_hash FROM staff")
    [(hashed,)] = rows
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert (await _post(client, "/api/session", {"email": "a@ml55.fr", "password": PASSWORD}))[
        0
    ] == 200
    sessions = await store._read_all("SELECT id_hash, csrf_token FROM staff_sessions")
    assert len(sessions) == 1 and len(sessions[0][0]) == 64  # only the SHA-256 of the cookie
