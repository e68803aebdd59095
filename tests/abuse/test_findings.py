"""Each finding of the abuse review, replayed against the real server behind a loopback "proxy".

The server runs as in the README's nginx setup: public address https, the proxy on 127.0.0.1
listed in MILOMOUV_TRUSTED_PROXIES, so each test plays its client addresses with
X-Forwarded-For as nginx would write them.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.channels.webchat import token_id
from tests.support.server import Server

pytestmark = pytest.mark.slow

PUBLIC = "https://bot.example"
EMAIL, PASSWORD = "conseillere@example.org", "une phrase de passe bien à elle"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    running = Server(
        tmp_path,
        MILOMOUV_PUBLIC_URL=PUBLIC,
        MILOMOUV_TRUSTED_PROXIES="127.0.0.1/32",
        MILOMOUV_EMBED_ORIGINS="https://partenaire.example",
    )
    running.command("user", "add", EMAIL, "--role", "coordinator", MILOMOUV_PASSWORD=PASSWORD)
    async with aiohttp.ClientSession() as session:
        await running.start(session)
    try:
        yield running
    finally:
        assert running.stop() == 0
    tracebacks = [line for line in running.log_path.read_text().splitlines() if "Traceback" in line]
    assert not tracebacks


def _via(address: str, **extra: str) -> dict[str, str]:
    """Headers nginx adds in front of the service."""
    return {"X-Forwarded-For": address, "X-Forwarded-Proto": "https", **extra}


def _db(server: Server) -> sqlite3.Connection:
    return sqlite3.connect(
        f"file:{server.env['MILOMOUV_DATA_DIR']}/milomouv.sqlite3?mode=ro", uri=True
    )


async def test_junk_tickets_one_address_cannot_open_a_hundred_conversations(
    server: Server,
) -> None:
    answers = []
    async with aiohttp.ClientSession() as session:
        for n in range(100):
            async with session.ws_connect(
                f"{server.url}/chat/ws", headers=_via("198.51.100.7")
            ) as ws:
                await ws.receive_json(timeout=5)  # its new conversation id
                await ws.send_json({"type": "message", "text": "un humain stp", "id": f"j{n}"})
                answers.append(await ws.receive_json(timeout=5))
        # Someone else, elsewhere, is not affected.
        async with session.ws_connect(f"{server.url}/chat/ws", headers=_via("203.0.113.5")) as ws:
            await ws.receive_json(timeout=5)
            await ws.send_json({"type": "message", "text": "salut", "id": "ok1"})
            assert (await ws.receive_json(timeout=5)) == {"type": "ack", "id": "ok1"}
    acked = [a for a in answers if a["type"] == "ack"]
    assert len(acked) == 5  # MILOMOUV_CHAT_NEW_CONVERSATIONS_PER_MINUTE's default
    refusals = [a.get("error") for a in answers if a not in acked]
    assert set(refusals) <= {"too_many_conversations", "too_fast"}  # past 60 a minute: both
    assert refusals[:50] == ["too_many_conversations"] * 50
    with _db(server) as db:
        (conversations,) = db.execute("SELECT COUNT(*) FROM conversations").fetchone()
    assert conversations == 6


async def test_login_guesses_in_parallel_are_reserved_before_the_check(server: Server) -> None:
    async with aiohttp.ClientSession() as session:

        async def guess(n: int) -> int:
            body = {"email": EMAIL, "password": f"mauvais-mot-de-passe-{n}"}
            async with session.post(
                f"{server.url}/api/session", json=body, headers=_via("198.51.100.7")
            ) as resp:
                return resp.status

        statuses = await asyncio.gather(*(guess(n) for n in range(60)))
        assert statuses.count(401) <= 3 and statuses.count(429) >= 57, statuses

        # The counsellor, at the office behind the same nginx, is not locked out.
        body = {"email": EMAIL, "password": PASSWORD}
        async with session.post(
            f"{server.url}/api/session", json=body, headers=_via("203.0.113.5")
        ) as resp:
            assert resp.status == 200


async def test_metrics_are_private_behind_the_proxy(server: Server) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server.url}/metrics", headers=_via("203.0.113.9")) as resp:
            assert resp.status == 403
        async with session.get(f"{server.url}/metrics") as resp:  # the proxy host itself
            assert resp.status == 200


async def test_login_refuses_cross_site_posts_and_the_form_works_behind_https(
    server: Server,
) -> None:
    body = json.dumps({"email": EMAIL, "password": PASSWORD})
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{server.url}/api/session",
            data=body,
            headers=_via("203.0.113.5", **{"Content-Type": "text/plain"}),
        ) as resp:
            assert resp.status == 415
        async with session.post(
            f"{server.url}/api/session",
            data=body,
            headers=_via(
                "203.0.113.5",
                **{"Content-Type": "application/json", "Origin": "https://evil.example"},
            ),
        ) as resp:
            assert resp.status == 403
        form = {"email": EMAIL, "password": PASSWORD, "next": "/handoff/"}
        async with session.post(
            f"{server.url}/handoff/login",
            data=form,
            headers=_via("203.0.113.5", Origin=PUBLIC, Host="bot.example"),
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303


async def test_common_passwords_are_refused_for_new_accounts(server: Server) -> None:
    with pytest.raises(subprocess.CalledProcessError) as refused:
        server.command(
            "user", "add", "autre@example.org", "--role", "counsellor",
            MILOMOUV_PASSWORD="1234567890",
        )  # fmt: skip
    assert "plus courants" in refused.value.stderr


async def test_deep_json_is_a_clear_refusal_everywhere(server: Server) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    async with aiohttp.ClientSession() as session:
        for path in ("/api/session", "/api/setup"):
            async with session.post(
                f"{server.url}{path}",
                data=deep,
                headers=_via("203.0.113.5", **{"Content-Type": "application/json"}),
            ) as resp:
                assert resp.status == 422 and "JSON" in (await resp.json())["error"]
        async with session.ws_connect(f"{server.url}/chat/ws", headers=_via("203.0.113.6")) as ws:
            await ws.receive_json(timeout=5)
            await ws.send_str("[" * 5000 + "]" * 5000)
            assert await ws.receive_json(timeout=5) == {"type": "error", "error": "invalid_message"}


async def test_headers_on_every_page(server: Server) -> None:
    async with aiohttp.ClientSession() as session:
        for path in ("/confidentialite", "/handoff/login", "/"):
            async with session.get(f"{server.url}{path}", headers=_via("203.0.113.5")) as resp:
                assert resp.headers["Strict-Transport-Security"].startswith("max-age="), path
                csp = resp.headers["Content-Security-Policy"]
                assert "frame-ancestors" in csp and "object-src 'none'" in csp, path
                assert "base-uri 'none'" in csp and " ws: " not in csp, path
                assert "/" not in resp.headers["Server"], path  # no version
        async with session.get(f"{server.url}/", headers=_via("203.0.113.5")) as resp:
            csp = resp.headers["Content-Security-Policy"]
            assert "frame-ancestors 'self' https://partenaire.example" in csp
            assert f"connect-src 'self' wss://127.0.0.1:{server.port};" in csp


async def test_chat_tokens_are_not_stored_nor_exported(server: Server) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{server.url}/chat/ws", headers=_via("203.0.113.7")) as ws:
            token = (await ws.receive_json(timeout=5))["conversation"]
            for n, text in enumerate(["salut", "je veux parler à un conseiller"]):
                await ws.send_json({"type": "message", "text": text, "id": f"t{n}"})
                while (await ws.receive_json(timeout=10)).get("type") != "ack":
                    pass
        await asyncio.sleep(1)  # the ticket is opened by the dispatcher
        login = {"email": EMAIL, "password": PASSWORD}
        async with session.post(
            f"{server.url}/api/session", json=login, headers=_via("203.0.113.5")
        ) as resp:
            assert resp.status == 200
            csrf = (await resp.json())["csrf_token"]
            # The cookie is Secure (the public address is https): sent by hand over loopback.
            cookie = f"milomouv_session={resp.cookies['milomouv_session'].value}"
        with _db(server) as db:
            event_ids = [r[0] for r in db.execute("SELECT event_id FROM inbox")]
            tickets = [r[0] for r in db.execute("SELECT id FROM tickets")]
        assert event_ids and not [e for e in event_ids if token in e]
        assert all(e.startswith(token_id(token)) for e in event_ids)
        exported: Any = None
        for ticket in tickets:
            async with session.get(
                f"{server.url}/api/tickets/{ticket}/export",
                headers=_via("203.0.113.5", Cookie=cookie, **{"X-CSRF-Token": csrf}),
            ) as resp:
                assert resp.status == 200
                exported = await resp.text()
                assert token not in exported
        assert exported is not None
