"""The settings pages on the server: who may open them, what they show, bad filters, links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp.test_utils import TestClient

from tests.support.resources import of
from tests.support.staff import StaffClient, fast_hashing, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

COORDINATOR_PAGES = ("/handoff/accounts", "/handoff/canned", "/handoff/audit")


async def _page(person: StaffClient, path: str) -> tuple[int, str]:
    resp = await person.request("GET", path)
    return resp.status, await resp.text()


async def test_coordinator_pages_are_refused_to_counsellors_and_linked_for_coordinators(
    client: TestClient,
) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator") as coord,
        logged_in(client, "c@ml55.fr") as counsellor,
    ):
        for path in COORDINATOR_PAGES:
            status, html = await _page(coord, path)
            assert status == 200 and f'href="{path}" aria-current="page"' in html, path
            assert "<script>" not in html
            status, text = await _page(counsellor, path)
            assert (status, text) == (403, "Cette action est réservée à la coordination."), path
        status, html = await _page(counsellor, "/handoff/password")
        assert status == 200 and 'id="password-form"' in html
        _, queue = await _page(counsellor, "/handoff/")
    assert 'href="/handoff/password"' in queue and 'href="/handoff/accounts"' not in queue
    anonymous = await client.get("/handoff/accounts", allow_redirects=False)
    assert anonymous.status == 302 and anonymous.headers["Location"].startswith("/handoff/login")


async def test_the_accounts_page_lists_everyone_with_their_actions(client: TestClient) -> None:
    async with (
        logged_in(client, "coord@ml55.fr", "coordinator", name="Claire Invent") as coord,
        logged_in(client, "anne@ml55.fr", name="Anne Invent") as anne,
    ):
        await coord.post(f"/api/staff/{anne.staff['id']}/disable")
        status, html = await _page(coord, "/handoff/accounts")
    assert status == 200
    assert "Claire Invent <small>(vous)</small>" in html and "Anne Invent" in html
    assert html.count('class="btn btn-danger account-disable"') == 0  # not oneself, not disabled
    assert '<span class="pill">Désactivé</span>' in html
    assert 'id="account-form"' in html and 'name="display_name"' in html


async def test_the_reset_page_opens_only_with_a_live_link(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        _, made = await coord.post(
            "/api/staff/invitations",
            {"display_name": "Zoé Invent", "email": "zoe@ml55.fr", "role": "counsellor"},
        )
    link = urlsplit(made["reset"]["link"])
    token = parse_qs(link.query)["token"][0]
    ok = await client.get(f"{link.path}?{link.query}")
    html = await ok.text()
    assert ok.status == 200 and f'data-token="{token}"' in html
    for query in ("", "?token=", "?token=forged"):
        bad = await client.get(f"/handoff/reset{query}")
        text = await bad.text()
        assert bad.status == 403 and "Ce lien n&#39;est plus valable" in text
        assert 'data-token=""' in text


async def test_the_audit_page_filters_pages_and_explains_a_bad_filter(
    client: TestClient,
) -> None:
    store = of(client.app).store
    for n in range(60):
        await store.audit("cli", "staff_created", f"staff:{n}", {"role": "counsellor"}, 1000.0 + n)
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        await coord.post("/api/canned-replies", {"title": "Bonjour", "text": "Texte inventé"})
        status, html = await _page(coord, "/handoff/audit")
        assert status == 200 and html.count("<tr data-id=") == 50
        assert "Réponse type ajoutée" in html and "Texte inventé" not in html
        older = html.split('id="audit-older" href="')[1].split('"')[0]
        status, page2 = await _page(coord, older.replace("&amp;", "&"))
        assert status == 200 and page2.count("<tr data-id=") == 11
        assert 'id="audit-older"' not in page2 and 'id="audit-newest"' in page2
        status, mine = await _page(coord, "/handoff/audit?action=canned_reply_created")
        assert mine.count("<tr data-id=") == 1
        assert '<option value="canned_reply_created" selected>Réponse type ajoutée</option>' in mine
        status, bad = await _page(coord, "/handoff/audit?from=2026-02-30")
    assert status == 422
    assert "Période invalide : dates AAAA-MM-JJ" in bad and "<tr data-id=" not in bad


async def test_the_canned_page_shows_each_reply_with_its_tools(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        for title in ("Bonjour", "Merci"):
            await coord.post("/api/canned-replies", {"title": title, "text": f"{title} à toi."})
        status, html = await _page(coord, "/handoff/canned")
    assert status == 200
    assert html.index('value="Bonjour"') < html.index('value="Merci"')
    assert 'aria-label="Monter « Merci »"' in html and 'aria-label="Descendre « Bonjour »"' in html
