"""The source pages: coordinator only, the list, the A4 poster and its QR code."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.support.png import decode_qr
from tests.support.staff import fast_hashing, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

STENAY = {"label": "Boulangerie de Stenay", "kind": "shop", "commune": "Stenay"}


@pytest.fixture
def settings(make_settings: Any) -> Any:
    return make_settings(public_url="http://milomouv.example", messenger_page_name="MiloMouv55")


async def test_the_list_shows_each_source_with_its_poster_and_nav(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        _, made = await coord.post("/api/sources", STENAY)
        code = made["source"]["code"]
        resp = await coord.request("GET", "/handoff/sources")
        html = await resp.text()
    assert resp.status == 200
    assert "Boulangerie de Stenay" in html and "Commerce" in html
    assert f'href="/handoff/sources/{code}/poster"' in html
    assert 'href="/handoff/sources" aria-current="page"' in html
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert "<script>" not in html  # scripts come from files only


async def test_the_poster_is_a4_with_qr_codes_the_call_to_action_and_the_contact(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        _, made = await coord.post("/api/sources", STENAY)
        code = made["source"]["code"]
        resp = await coord.request("GET", f"/handoff/sources/{code}/poster")
        html = await resp.text()
        css = await (await coord.request("GET", _stylesheet(html))).text()
        png = await coord.request("GET", f"/handoff/sources/{code}/qr.png")
        body = await png.read()
    assert resp.status == 200
    assert "Tu as entre 16 et 29 ans ?" in html
    assert "Ou passe voir l&#39;accueil de la Mission locale du Nord meusien." in html
    assert html.count('<svg viewBox="0 0') == 2  # web (big) and Messenger
    assert f'data-link="http://milomouv.example/?src={code}"' in html
    assert "@page { size: A4" in css
    assert png.status == 200 and png.content_type == "image/png"
    assert f"milomouv-qr-{code}.png" in png.headers["Content-Disposition"]
    assert decode_qr(body) == f"http://milomouv.example/?src={code}"


async def test_counsellors_get_no_source_pages(client: TestClient) -> None:
    async with logged_in(client, "conseil@ml55.fr") as counsellor:
        listing = await counsellor.request("GET", "/handoff/sources")
        queue = await (await counsellor.request("GET", "/handoff/")).text()
    assert listing.status == 403
    assert 'href="/handoff/sources"' not in queue


async def test_an_unknown_poster_is_a_404(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        resp = await coord.request("GET", "/handoff/sources/zzzzzz/poster")
    assert resp.status == 404


def _stylesheet(html: str) -> str:
    found = re.search(r'href="(/handoff/static/poster\.css[^"]*)"', html)
    assert found is not None
    return found.group(1).replace("&amp;", "&")
