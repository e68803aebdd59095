"""The dashboard's search box, search page and closed-tickets list, over HTTP."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from bot.store.base import Staff, TicketDraft, UnitOfWork
from handoff import SERVICE, auth
from tests.support.browser import PASSWORD, seed_ticket
from tests.support.resources import of as resources_of


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


async def _signed_in(client: TestClient) -> Staff:
    staff = await client.app[SERVICE].auth.create_account(
        "marie.dupont@ml-nord-meusien.fr", PASSWORD, "counsellor", display_name="Marie Dupont"
    )
    resp = await client.post("/api/session", json={"email": staff.email, "password": PASSWORD})
    assert resp.status == 200
    return staff


async def test_the_queue_page_has_the_search_box_and_filters(client: TestClient) -> None:
    await _signed_in(client)
    html = await (await client.get("/handoff/")).text()
    assert 'action="/handoff/find"' in html and 'name="q"' in html
    for name in ("status", "territory", "channel", "need", "urgent", "source", "from", "to"):
        assert f'name="{name}"' in html, name
    assert 'href="/handoff/closed"' in html


async def test_the_search_page_lists_what_matches(client: TestClient) -> None:
    runtime = resources_of(client.app)
    await _signed_in(client)
    zoe = await seed_ticket(runtime, "Zoé", said="je cherche un apprentissage en boulangerie")
    await seed_ticket(runtime, "Yanis", commune="Verdun")
    resp = await client.get("/handoff/find?q=boulangerie")
    html = await resp.text()
    assert resp.status == 200
    assert f'data-ticket-id="{zoe}"' in html and "Yanis" not in html
    assert 'value="boulangerie"' in html  # the box keeps what was asked
    html = await (await client.get("/handoff/find?q=verdun&status=waiting")).text()
    assert "Yanis" in html and "Zoé" not in html


async def test_the_closed_list_shows_only_closed_tickets(client: TestClient) -> None:
    runtime = resources_of(client.app)
    staff = await _signed_in(client)
    done = await seed_ticket(runtime, "Zoé")
    await seed_ticket(runtime, "Yanis")
    assert await runtime.store.claim(done, staff.id, 1.0)
    assert await runtime.store.close_ticket(done, "registered_mission_locale", 2.0, holder=None)
    html = await (await client.get("/handoff/closed")).text()
    assert f'data-ticket-id="{done}"' in html and "Yanis" not in html


async def test_a_bad_filter_is_named_on_the_page(client: TestClient) -> None:
    await _signed_in(client)
    resp = await client.get("/handoff/find?q=x&from=2026-02-30")
    assert resp.status == 422
    assert "Paramètre de recherche invalide : from." in await resp.text()


async def test_strangers_are_sent_to_sign_in(client: TestClient) -> None:
    resp = await client.get("/handoff/find?q=x", allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"].startswith("/handoff/login?next=")


async def test_the_ticket_page_shows_the_youths_earlier_tickets(client: TestClient) -> None:
    runtime = resources_of(client.app)
    store = runtime.store
    staff = await _signed_in(client)
    first = await seed_ticket(runtime, "Zoé")
    assert await store.claim(first, staff.id, 1.0)
    await store.add_note(first, staff.id, "a besoin d'un CV", 2.0)
    await store.add_meeting(first, staff.id, "2026-10-02", "14:30", "Stenay", None, 2.0)
    assert await store.close_ticket(first, "registered_mission_locale", 3.0, holder=None)
    ticket = await store.get_ticket(first)
    assert ticket is not None
    conv = await store.get_conversation(ticket.conversation_id)
    assert conv is not None
    conv.mode = "waiting"
    result = await store.commit(
        UnitOfWork(conversation=conv, open_ticket=TicketDraft("normal", "intake_done", {})), 4.0
    )
    assert result.ticket_id is not None
    html = await (await client.get(f"/handoff/tickets/{result.ticket_id}")).text()
    assert 'id="earlier"' in html and f'data-ticket-id="{first}"' in html
    assert "a besoin d&#39;un CV" in html and "Rendez-vous le 2026-10-02 à 14:30 : Stenay" in html
    assert runtime.texts("outcome.registered_mission_locale") in html
    alone = await (
        await client.get(f"/handoff/tickets/{await seed_ticket(runtime, 'Yanis')}")
    ).text()
    assert 'id="earlier"' not in alone
