"""Live fragments: the same server-rendered cards and lines as the pages, behind the same sign-in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from bot.store.base import Staff, ThreadEntry
from handoff import SERVICE, auth
from tests.support.browser import PASSWORD, add_line, seed_ticket
from tests.support.resources import of as resources_of

STATIC = Path(__file__).resolve().parents[2] / "handoff" / "static"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


async def _signed_in(client: TestClient, name: str = "Marie Dupont") -> Staff:
    email = name.lower().replace(" ", ".") + "@ml-nord-meusien.fr"
    staff = await client.app[SERVICE].auth.create_account(
        email, PASSWORD, "counsellor", display_name=name
    )
    resp = await client.post("/api/session", json={"email": email, "password": PASSWORD})
    assert resp.status == 200
    return staff


def _element(html: str, pattern: str) -> str:
    """The first `<li …>…</li>` whose opening tag matches `pattern` (cards and lines hold no li)."""
    found = re.search(rf"<li {pattern}.*?</li>", html, re.S)
    assert found is not None, pattern
    return found.group(0)


@pytest.mark.parametrize(
    "path",
    ["/handoff/fragments/cards", "/handoff/fragments/cards/1", "/handoff/fragments/tickets/1"],
)
async def test_fragments_answer_401_to_strangers(client: TestClient, path: str) -> None:
    resp = await client.get(path, allow_redirects=False)
    assert resp.status == 401
    assert resp.headers["Content-Security-Policy"].startswith("default-src 'self'")


async def test_cards_fragment_is_the_queue_pages_own_card_with_counts(client: TestClient) -> None:
    runtime = resources_of(client.app)
    await _signed_in(client)
    first = await seed_ticket(runtime, "Lina")
    second = await seed_ticket(runtime, XSS, priority="urgent", commune="Verdun")
    page = await (await client.get("/handoff/")).text()
    resp = await client.get("/handoff/fragments/cards?list=queue")
    assert resp.status == 200 and resp.headers["Cache-Control"] == "no-store"
    fragment = await resp.text()
    assert 'data-count-waiting="2" data-count-mine="0"' in fragment
    for ticket_id in (first, second):
        card = f'class="card[^"]*" data-ticket-id="{ticket_id}"'
        assert _element(fragment, card) == _element(page, card)
    assert XSS not in fragment and "&lt;img src=x" in fragment
    assert fragment.index(f'data-ticket-id="{second}"') < fragment.index(
        f'data-ticket-id="{first}"'
    )
    mine = await (await client.get("/handoff/fragments/cards?list=mine")).text()
    assert "data-ticket-id" not in mine.split("<ol", 1)[1].split(">", 1)[1]
    assert (await client.get("/handoff/fragments/cards?list=all")).status == 400


async def test_card_fragment_carries_the_notification_text(client: TestClient) -> None:
    await _signed_in(client)
    ticket_id = await seed_ticket(resources_of(client.app), "Lina", priority="urgent")
    html = await (await client.get(f"/handoff/fragments/cards/{ticket_id}")).text()
    assert 'data-notify-title="⚠️ Demande urgente MiloMouv&#39;"' in html
    assert 'data-notify-body="Lina (19 ans · Stenay) — trouver un job"' in html
    assert f'data-url="/handoff/tickets/{ticket_id}"' in html
    assert (await client.get("/handoff/fragments/cards/nope")).status == 404


async def test_ticket_fragment_draws_lines_and_status_as_the_page_does(client: TestClient) -> None:
    runtime = resources_of(client.app)
    marie = await _signed_in(client)
    ticket_id = await seed_ticket(runtime, "Lina", said=XSS)
    await client.app[SERVICE].claim(ticket_id, marie)
    failed = ThreadEntry(
        "out", "counsellor", "Tu es là ?", staff_id=marie.id, status="failed", error="timeout"
    )
    await add_line(runtime, ticket_id, failed)
    page = await (await client.get(f"/handoff/tickets/{ticket_id}")).text()
    resp = await client.get(f"/handoff/fragments/tickets/{ticket_id}")
    fragment = await resp.text()
    assert resp.status == 200
    lines = re.findall(r'<li class="msg [^"]*" data-id="([^"]+)"', page)
    assert len(lines) >= 2
    for line in lines:
        pattern = f'class="msg [^"]*" data-id="{line}"'
        assert _element(fragment, pattern) == _element(page, pattern)
    assert runtime.texts("dashboard.failure_network") in fragment  # "timeout", one alias table
    assert XSS not in fragment
    pill = re.search(r'<span class="pill[^>]*id="status-pill">[^<]*</span>', page)
    assert pill is not None and pill.group(0) in fragment
    assert 'data-status="assigned"' in fragment and 'data-can-reply="yes"' in fragment
    assert (await client.get("/handoff/fragments/tickets/nope")).status == 404


def test_scripts_format_nothing_the_server_renders() -> None:
    """Cards and lines are drawn by the server's macros only: no second copy in the scripts."""
    scripts = "\n".join(p.read_text(encoding="utf-8") for p in STATIC.glob("*.js"))
    for copied in (
        "invalid_token",
        "cardView",
        "age_years",
        "failure_",
        "who_bot",
        "since_minutes",
    ):
        assert copied not in scripts, copied
    assert "<template" not in (STATIC.parent / "templates" / "ticket.html").read_text()
