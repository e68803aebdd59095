"""The dashboard's pages over HTTP: sign-in, headers, server-rendered queue and conversation."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from bot.store.base import Staff, ThreadEntry
from bot.texts import Texts
from handoff import SERVICE, auth
from handoff.service import OUTCOMES
from tests.support.browser import PASSWORD, add_line, seed_ticket
from tests.support.resources import of as resources_of

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


HANDOFF = Path(__file__).resolve().parents[2] / "handoff"


async def _staff(client: TestClient, name: str = "Marie Dupont", role: str = "counsellor") -> Staff:
    email = name.lower().replace(" ", ".") + "@ml-nord-meusien.fr"
    return await client.app[SERVICE].auth.create_account(email, PASSWORD, role, display_name=name)


async def _login(client: TestClient, staff: Staff) -> str:
    resp = await client.post("/api/session", json={"email": staff.email, "password": PASSWORD})
    assert resp.status == 200
    return str((await resp.json())["csrf_token"])


@pytest.mark.parametrize("path", ["/handoff/", "/handoff/mine", "/handoff/tickets/1"])
async def test_pages_send_strangers_to_the_sign_in_page(client: TestClient, path: str) -> None:
    resp = await client.get(path, allow_redirects=False)
    assert resp.status == 302
    assert resp.headers["Location"] == f"/handoff/login?next={path}"


async def test_pages_carry_security_headers_and_no_inline_script(client: TestClient) -> None:
    resp = await client.get("/handoff/login")
    assert resp.status == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert resp.headers["Cache-Control"] == "no-store"
    html = await resp.text()
    for tag in re.findall(r"<script[^>]*>", html):
        assert " src=" in tag or 'type="application/json"' in tag
    assert 'lang="fr"' in html and "Connexion" in html
    static = await client.get("/handoff/static/dashboard.js")
    assert static.status == 200 and static.headers["X-Content-Type-Options"] == "nosniff"


async def test_sign_in_page_explains_the_first_start(client: TestClient) -> None:
    html = await (await client.get("/handoff/login")).text()
    assert "Aucun compte n&#39;existe encore" in html


async def test_sign_in_works_without_javascript(client: TestClient) -> None:
    marie = await _staff(client)
    form = {"email": marie.email, "password": PASSWORD, "next": "/handoff/mine"}
    resp = await client.post("/handoff/login", data=form, allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"] == "/handoff/mine"
    page = await client.get("/handoff/mine")
    html = await page.text()
    me = await (await client.get("/api/me")).json()
    assert f'<meta name="csrf-token" content="{me["csrf_token"]}">' in html
    assert "Marie Dupont" in html
    # Signed in already: the sign-in page sends to the queue.
    again = await client.get("/handoff/login", allow_redirects=False)
    assert again.status == 302 and again.headers["Location"] == "/handoff/"


async def test_wrong_password_and_foreign_next_are_refused(client: TestClient) -> None:
    marie = await _staff(client)
    resp = await client.post("/handoff/login", data={"email": marie.email, "password": "nope"})
    assert resp.status == 401
    assert "E-mail ou mot de passe incorrect." in await resp.text()
    form = {"email": marie.email, "password": PASSWORD, "next": "//evil.example/handoff/"}
    ok = await client.post("/handoff/login", data=form, allow_redirects=False)
    assert ok.headers["Location"] == "/handoff/"
    forged = await client.post(
        "/handoff/login", data=form, headers={"Origin": "https://evil.example"}
    )
    assert forged.status == 403


async def test_setup_page_checks_its_link(client: TestClient) -> None:
    bad = await client.get("/handoff/setup?token=not-a-real-token")
    assert bad.status == 403 and "pas valide" in await bad.text()
    auth = client.app[SERVICE].auth
    link = await auth.setup_link("http://127.0.0.1")
    assert link is not None
    token = link.partition("token=")[2]
    good = await client.get(f"/handoff/setup?token={token}")
    html = await good.text()
    assert good.status == 200 and f'data-token="{token}"' in html
    assert 'id="password2"' in html


async def test_queue_shows_urgent_first_and_escapes_youth_text(client: TestClient) -> None:
    runtime = resources_of(client.app)
    await _login(client, await _staff(client))
    late = await seed_ticket(runtime, "Lina", territory="CC du Pays de Stenay et du Val Dunois")
    await seed_ticket(runtime, XSS, priority="urgent", commune="Verdun")
    assert await client.app[SERVICE].store.mark_alerted(late, time.time())
    html = await (await client.get("/handoff/")).text()
    cards = html.split('<template id="card-template">')[0]
    assert '<li class="card is-alert"' in cards and '<span class="badge badge-alert">' in cards
    assert cards.index("&lt;img src=x onerror=alert(1)&gt;") < cards.index("Lina")
    assert XSS not in html
    assert 'badge badge-urgent"' in cards  # shown, not hidden, on the urgent card
    for expected in ("19 ans", "Stenay", "trouver un job", "Chat du site", "affiche-test"):
        assert expected in cards
    assert 'id="count-waiting">2<' in html


async def test_conversation_shows_profile_thread_and_failure_reason(client: TestClient) -> None:
    runtime = resources_of(client.app)
    marie = await _staff(client)
    await _login(client, marie)
    ticket_id = await seed_ticket(
        runtime,
        "Lina",
        said=XSS,
        need_text="bosser vite",
        phone="+33612345678",
        contact_label="06 12 34 56 78 (SMS)",
    )
    service = client.app[SERVICE]
    await service.claim(ticket_id, marie)
    failed = ThreadEntry(
        "out",
        "counsellor",
        "Tu es là ?",
        staff_id=marie.id,
        status="failed",
        error="outside_window",
    )
    await add_line(runtime, ticket_id, failed)
    await service.add_note(ticket_id, marie, "A déjà un CV")
    await service.set_canned_replies(
        await _staff(client, "Coord Meuse", "coordinator"), [("Bonjour", "Bonjour ! Je suis là.")]
    )

    resp = await client.get(f"/handoff/tickets/{ticket_id}")
    html = await resp.text()
    assert resp.status == 200 and resp.headers["Cache-Control"] == "no-store"
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and XSS not in html
    assert "bosser vite" in html and "A déjà un CV" in html
    assert '<a href="tel:+33612345678">06 12 34 56 78 (SMS)</a>' in html
    assert 'class="msg msg-youth"' in html and "msg msg-counsellor is-failed" in html
    assert "Non distribué : Le jeune n&#39;a pas écrit depuis plus de 7 jours" in html
    assert 'data-text="Bonjour ! Je suis là."' in html
    assert "Avec vous" in html
    for code in OUTCOMES:
        assert f'value="{code}"' in html


async def test_unknown_ticket_is_a_404(client: TestClient) -> None:
    await _login(client, await _staff(client))
    resp = await client.get("/handoff/tickets/999")
    assert resp.status == 404


def test_every_catalogue_key_the_dashboard_uses_exists() -> None:
    texts = Texts.load()
    keys = set(texts.keys())
    used: set[str] = set()
    for path in (HANDOFF / "templates").glob("*.html"):
        used |= set(re.findall(r"t\('(dashboard\.[a-z_]+)'[,)]", path.read_text()))
    for path in (HANDOFF / "static").glob("*.js"):
        used |= {f"dashboard.{k}" for k in re.findall(r"\bt\(\"([a-z_]+)\"", path.read_text())}
    python = (HANDOFF / "dashboard.py").read_text()
    used |= set(re.findall(r"\"(dashboard\.[a-z_]+)\"", python))
    assert used and not used - keys
    for code in OUTCOMES:
        assert f"outcome.{code}" in keys


async def test_live_helpers_used_by_the_browser_tests(client: TestClient) -> None:
    runtime = resources_of(client.app)
    ticket_id = await seed_ticket(runtime, "Inès")
    ticket: Any = await runtime.store.get_ticket(ticket_id)
    lines = await runtime.store.thread(ticket.conversation_id)
    assert ticket.status == "waiting" and [line.text for line in lines] == ["bonjour"]
