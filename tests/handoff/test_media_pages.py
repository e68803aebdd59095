"""Media on the dashboard over HTTP: a Messenger youth's photo shown in the thread and served
to signed-in staff only, safely; a counsellor's file checked, audited and uploaded to Meta."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jsonschema_rs
import pytest
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from bot.settings import Settings
from handoff import SERVICE, auth
from handoff.openapi import document
from tests.channels.test_media_meta import attachment, fetched, send_files
from tests.channels.test_meta_e2e import _intake_after_welcome
from tests.support.browser import PASSWORD
from tests.support.fake_media import FakeGraphMedia, jpeg, pdf, png
from tests.support.fake_meta import MetaYouth, meta_settings, settle
from tests.support.resources import of

MAX_BYTES = 300_000


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphMedia]:
    async with FakeGraphMedia() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
def settings(make_settings: Any, graph: FakeGraphMedia) -> Settings:
    return make_settings(**meta_settings(graph), media_max_bytes=MAX_BYTES)


@pytest.fixture
async def held(client: TestClient, graph: FakeGraphMedia) -> tuple[MetaYouth, str, str]:
    """A Messenger youth whose ticket a signed-in counsellor holds: (youth, ticket, csrf)."""
    youth = MetaYouth(client, graph, platform="messenger")
    await youth.say("salut")
    await _intake_after_welcome(youth)
    [ticket] = await of(client.app).store.list_tickets("waiting")
    account = await client.app[SERVICE].auth.create_account(
        "marie.dupont@ml-nord-meusien.fr", PASSWORD, "counsellor", display_name="Marie Dupont"
    )
    resp = await client.post("/api/session", json={"email": account.email, "password": PASSWORD})
    csrf = str((await resp.json())["csrf_token"])
    resp = await client.post(
        f"/api/tickets/{ticket.id}/claim", headers={"X-CSRF-Token": csrf}, json={}
    )
    assert resp.status == 200
    return youth, ticket.id, csrf


async def test_a_youths_photo_is_shown_in_the_thread_and_served_safely(
    client: TestClient, graph: FakeGraphMedia, held: tuple[MetaYouth, str, str]
) -> None:
    youth, ticket_id, _ = held
    photo = png()
    await send_files(youth, attachment("image", graph.host(photo)))
    [media] = await fetched(client)
    page = await (await client.get(f"/handoff/tickets/{ticket_id}")).text()
    assert re.search(rf'<img src="/handoff/media/{media.id}"', page)
    resp = await client.get(f"/handoff/media/{media.id}")
    assert resp.status == 200 and await resp.read() == photo
    assert resp.headers["Content-Type"] == "image/png"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"] == "inline"
    csp = resp.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "script" not in csp
    async with aiohttp.ClientSession() as stranger:
        resp = await stranger.get(client.make_url(f"/handoff/media/{media.id}"))
        assert resp.status == 200 and "/handoff/login" in str(resp.url)
        assert await resp.read() != photo
    assert (await client.get("/handoff/media/" + "A" * 22)).status == 404


async def test_a_document_is_a_download_never_shown_inline(
    client: TestClient, graph: FakeGraphMedia, held: tuple[MetaYouth, str, str]
) -> None:
    youth, ticket_id, _ = held
    cv = pdf("CV")
    await send_files(youth, attachment("file", graph.host(cv, content_type="text/html")))
    [media] = await fetched(client)
    resp = await client.get(f"/handoff/media/{media.id}")
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    page = await (await client.get(f"/handoff/tickets/{ticket_id}")).text()
    assert f'href="/handoff/media/{media.id}" download>Télécharger (1 ko)</a>' in page


async def test_a_refused_file_leaves_a_note_in_the_thread(
    client: TestClient, graph: FakeGraphMedia, held: tuple[MetaYouth, str, str]
) -> None:
    youth, ticket_id, _ = held
    await send_files(youth, attachment("image", graph.host(jpeg(size=MAX_BYTES + 1))))
    await fetched(client)
    page = await (await client.get(f"/handoff/tickets/{ticket_id}")).text()
    assert "Fichier non gardé : trop lourd (plus de 293 ko)" in page
    assert "trop lourd pour moi" in page  # what the youth was told is in the thread too


def _form(csrf: str | None, content: bytes, name: str, caption: str = "") -> aiohttp.FormData:
    form = aiohttp.FormData()
    if csrf is not None:
        form.add_field("csrf", csrf)
    form.add_field("caption", caption)
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    return form


async def test_a_counsellor_sends_a_pdf_through_the_outbox(
    client: TestClient, graph: FakeGraphMedia, held: tuple[MetaYouth, str, str]
) -> None:
    youth, ticket_id, csrf = held
    plan = pdf("Plan pour venir à la Mission locale")
    resp = await client.post(
        f"/handoff/tickets/{ticket_id}/media",
        data=_form(csrf, plan, "plan accès.pdf", "Voici le plan 🗺️"),
        allow_redirects=False,
    )
    assert resp.status == 303 and resp.headers["Location"] == f"/handoff/tickets/{ticket_id}"
    await settle(client)
    [upload] = graph.uploads
    assert (upload.recipient, upload.data, upload.content_type) == (
        youth.user_id,
        plan,
        "application/pdf",
    )
    assert upload.filename == "planaccs.pdf"
    assert upload.fields["message"]["attachment"]["type"] == "file"
    assert "Voici le plan 🗺️" in [m.get("text") for m in graph.sent(youth.user_id)]
    store = of(client.app).store
    [entry] = [
        e for e in await store.audit_trail([f"ticket:{ticket_id}"]) if e.action == "media_sent"
    ]
    assert set(entry.details) == {"message_id", "media_id"}
    page = await (await client.get(f"/handoff/tickets/{ticket_id}")).text()
    assert f'/handoff/media/{entry.details["media_id"]}" download' in page


@pytest.mark.parametrize(
    ("csrf_ok", "content", "status", "said"),
    [
        (False, pdf(), 403, ""),
        (True, jpeg(size=MAX_BYTES + 1), 413, "trop lourd"),
        (True, b"MZ\x90\x00" + b"\x00" * 100, 422, "Seules les images"),
        (True, b"OggS" + b"\x00" * 100, 422, "Seules les images"),  # kept inbound, not sendable
        (True, b"", 422, "Choisis un fichier"),
    ],
    ids=["no_csrf", "too_big", "executable", "voice", "empty"],
)
async def test_a_bad_upload_is_refused_clearly_and_nothing_is_sent(
    client: TestClient,
    graph: FakeGraphMedia,
    held: tuple[MetaYouth, str, str],
    csrf_ok: bool,
    content: bytes,
    status: int,
    said: str,
) -> None:
    _, ticket_id, csrf = held
    resp = await client.post(
        f"/handoff/tickets/{ticket_id}/media",
        data=_form(csrf if csrf_ok else "forged", content, "x.pdf"),
        allow_redirects=False,
    )
    assert resp.status == status
    assert said in await resp.text()
    await settle(client)
    assert graph.uploads == []


async def test_the_api_lists_each_messages_files_as_documented(
    client: TestClient, graph: FakeGraphMedia, held: tuple[MetaYouth, str, str]
) -> None:
    youth, ticket_id, _ = held
    await send_files(youth, attachment("image", graph.host(png())))
    [media] = await fetched(client)
    body = await (await client.get(f"/api/tickets/{ticket_id}")).json()
    [line] = [m for m in body["messages"] if m["media"]]
    assert [f["url"] for f in line["media"]] == [f"/handoff/media/{media.id}"]
    doc = document()
    schema = {**doc["components"]["schemas"]["Message"], "components": doc["components"]}
    for message in body["messages"]:
        jsonschema_rs.validator_for(schema).validate(message)


async def test_instagram_gets_no_webp(client: TestClient, graph: FakeGraphMedia) -> None:
    youth = MetaYouth(client, graph, platform="instagram")
    await youth.say("salut")
    await _intake_after_welcome(youth)
    [ticket] = await of(client.app).store.list_tickets("waiting")
    account = await client.app[SERVICE].auth.create_account(
        "marie.dupont@ml-nord-meusien.fr", PASSWORD, "counsellor", display_name="Marie Dupont"
    )
    resp = await client.post("/api/session", json={"email": account.email, "password": PASSWORD})
    csrf = str((await resp.json())["csrf_token"])
    await client.post(f"/api/tickets/{ticket.id}/claim", headers={"X-CSRF-Token": csrf})
    webp = b"RIFF\x00\x10\x00\x00WEBPVP8 " + b"\x00" * 500
    resp = await client.post(
        f"/handoff/tickets/{ticket.id}/media",
        data=_form(csrf, webp, "photo.webp"),
        allow_redirects=False,
    )
    assert resp.status == 422 and "Seules les images" in await resp.text()
    resp = await client.post(
        f"/handoff/tickets/{ticket.id}/media",
        data=_form(csrf, png(), "photo.png"),
        allow_redirects=False,
    )
    assert resp.status == 303
    await settle(client)
    [upload] = graph.uploads
    assert upload.recipient == youth.user_id and upload.content_type == "image/png"
    assert upload.fields["message"]["attachment"]["type"] == "image"
