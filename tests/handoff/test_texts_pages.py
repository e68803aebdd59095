"""The bot texts pages: coordinator only, the catalogue, the editor and its preview fragment."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.support.staff import fast_hashing, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")


async def test_the_catalogue_lists_sections_in_french_and_marks_edited_texts(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        await coord.call("PUT", "/api/texts/faq.free", {"text": "Gratuit, promis."})
        resp = await coord.request("GET", "/handoff/texts")
        html = await resp.text()
        found = await (await coord.request("GET", "/handoff/texts?q=gratuit%20promis")).text()
    assert resp.status == 200
    assert "Réponses aux questions" in html and "Accueil" in html
    assert 'class="text-entry is-edited" data-key="faq.free"' in html
    assert 'href="/handoff/texts" aria-current="page"' in html
    assert "meta.privacy_version" not in html
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert found.count('class="text-entry') == 1 and 'data-key="faq.free"' in found


async def test_the_editor_shows_default_placeholders_preview_and_history(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator", name="Anne Invent") as coord:
        await coord.call("PUT", "/api/texts/age.ask", {"text": "Et ton âge, {first_name} ?"})
        resp = await coord.request("GET", "/handoff/texts/age.ask")
        html = await resp.text()
        missing = await coord.request("GET", "/handoff/texts/age.nope")
    assert resp.status == 200
    assert "Enchanté {first_name} ! Tu as quel âge ?" in html  # the file's default
    assert "<code>{first_name}</code>" in html
    assert html.count('class="bubble">Et ton âge, Lina ?</p>') == 3  # three channels
    assert "Anne Invent" in html and 'id="text-reset"' in html
    assert "<script>" not in html
    assert missing.status == 404


async def test_the_preview_fragment_needs_the_csrf_token_and_escapes_what_is_typed(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        path = "/handoff/texts/welcome.btn_what/preview"
        refused = await coord.request("POST", path, {"text": "x"}, csrf=False)
        resp = await coord.request("POST", path, {"text": "<b>Quoi ?</b>"})
        html = await resp.text()
        bad = await (await coord.request("POST", path, {"text": "x" * 21})).text()
    assert refused.status == 403
    assert resp.status == 200 and "&lt;b&gt;Quoi ?&lt;/b&gt;" in html and "<b>" not in html
    assert 'class="quick-reply">&lt;b&gt;Quoi ?&lt;/b&gt;</span>' in html
    assert "Bouton montré avec le message welcome.text." in html
    assert "Titre de bouton trop long : 21 caractères" in bad and 'id="text-problems"' in bad


async def test_a_counsellor_cannot_open_the_texts_pages(client: TestClient) -> None:
    async with logged_in(client, "conseil@ml55.fr") as counsellor:
        listing = await counsellor.request("GET", "/handoff/texts")
        editor = await counsellor.request("GET", "/handoff/texts/faq.free")
        queue = await (await counsellor.request("GET", "/handoff/")).text()
        preview = await counsellor.request("POST", "/handoff/texts/faq.free/preview", {"text": "x"})
    assert (listing.status, editor.status, preview.status) == (403, 403, 403)
    assert 'href="/handoff/texts"' not in queue
    anonymous = await client.get("/handoff/texts", allow_redirects=False)
    assert anonymous.status == 302 and "/handoff/login" in anonymous.headers["Location"]
