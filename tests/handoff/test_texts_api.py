"""Bot texts through the JSON API: coordinator only, CSRF, refusals with reasons, live at once."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from aiohttp.test_utils import TestClient

from handoff.openapi import document
from tests.support.chat import ChatClient, texts
from tests.support.resources import of
from tests.support.staff import fast_hashing, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

WELCOME = "Coucou 👋 Ici le Réseau MiloMouv'. On discute ? Tout sur tes données : {privacy_url}"


def conforms(method: str, template: str, status: int, body: Any) -> None:
    """The answer is one the OpenAPI document describes for this route, shape included."""
    doc = document()
    response = doc["paths"][template][method]["responses"][str(status)]
    if "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rpartition("/")[2]]
    schema = response["content"]["application/json"]["schema"]
    jsonschema_rs.validator_for({**schema, "components": doc["components"]}).validate(body)


async def test_a_saved_welcome_reaches_the_next_youth_at_once_and_is_versioned(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator", name="Anne") as coord:
        status, body = await coord.call("PUT", "/api/texts/welcome.text", {"text": WELCOME})
        assert status == 200, body
        conforms("put", "/api/texts/{key}", status, body)
        entry = body["text"]
        assert entry["text"] == WELCOME and entry["edited"] is True
        assert entry["default"].startswith("Salut 👋")
        assert entry["placeholders"] == ["privacy_url"]
        assert [(v["version"], v["author"]) for v in entry["history"]] == [(1, "Anne")]
        async with ChatClient.connect(client) as chat:
            frame = next(f for f in await chat.say("salut") if f.get("type") == "message")
        assert frame["text"].startswith("Coucou 👋 Ici le Réseau MiloMouv'")
        assert next(b["title"] for b in frame["buttons"]) == "C'est parti 🚀"
    trail = await of(client.app).store.audit_trail(["text:welcome.text"])
    assert [e.action for e in trail] == ["text_saved"]
    assert "Coucou" not in str(trail[0].details) and trail[0].details == {"version": 1}


async def test_rollback_to_a_version_and_to_the_file_are_new_versions(
    client: TestClient,
) -> None:
    runtime = of(client.app)
    original = runtime.texts.raw("faq.free")
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        await coord.call("PUT", "/api/texts/faq.free", {"text": "Oui, gratuit 🙂"})
        await coord.call("PUT", "/api/texts/faq.free", {"text": "Gratuit, promis."})
        assert runtime.texts("faq.free") == "Gratuit, promis."
        status, body = await coord.post("/api/texts/faq.free/rollback", {"version": 1})
        assert status == 200, body
        conforms("post", "/api/texts/{key}/rollback", status, body)
        assert runtime.flow.texts("faq.free") == "Oui, gratuit 🙂"  # what the flows read
        status, body = await coord.post("/api/texts/faq.free/rollback", {"version": 0})
        assert status == 200 and body["text"]["edited"] is False
        assert runtime.texts("faq.free") == original
        history = body["text"]["history"]
        assert [(v["version"], v["is_default"]) for v in history] == [
            (4, True),
            (3, False),
            (2, False),
            (1, False),
        ]
        status, missing = await coord.post("/api/texts/faq.free/rollback", {"version": 9})
        assert status == 404 and missing["error"] == "Cette version n'existe pas pour ce texte."
        status, wrong = await coord.post("/api/texts/faq.free/rollback", {"version": "1"})
        assert status == 422
        conforms("post", "/api/texts/{key}/rollback", status, wrong)
    trail = await runtime.store.audit_trail(["text:faq.free"])
    assert [e.action for e in trail] == ["text_saved"] * 2 + ["text_rolled_back"] * 2
    assert trail[-1].details == {"version": 4, "to_version": 0}


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("welcome.text", "Salut !", "Il manque le champ {privacy_url}"),
        ("age.ask", "Tu as quel âge {prenom} ?", "Il manque le champ {first_name}"),
        ("age.ask", "{first_name} {prenom} ?", "Le champ {prenom} n'existe pas pour ce texte."),
        ("age.ask", "{first_name!r} ?", "Accolades mal formées"),
        ("age.ask", "{first_name} {", "Accolades mal formées"),
        ("name.ask", "   ", "Le texte est vide."),
        ("welcome.btn_start", "C'est parti, on y va ! 🚀", "Titre de bouton trop long : 24"),
        ("welcome.btn_no", "Non\nmerci", "Un titre de bouton tient sur une seule ligne."),
        ("faq.free", "x" * 4001, "Texte trop long : 4001 caractères, 4000 au plus"),
        ("meeting.weekdays", "lun mar mer jeu ven sam", "exactement 7 mots"),
    ],
)
async def test_a_bad_edit_is_refused_with_its_reason_and_nothing_changes(
    client: TestClient, key: str, text: str, reason: str
) -> None:
    runtime = of(client.app)
    before = runtime.texts.raw(key)
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.call("PUT", f"/api/texts/{key}", {"text": text})
        _, tried = await coord.post(f"/api/texts/{key}/preview", {"text": text})
    assert status == 422, body
    conforms("put", "/api/texts/{key}", status, body)
    assert reason in body["error"] and body["problems"][0] == body["error"]
    assert tried["problems"] == body["problems"]
    assert runtime.texts.raw(key) == before
    assert await runtime.store.text_versions(key) == []


async def test_unknown_and_fixed_keys_are_not_found(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        s1, b1 = await coord.call("PUT", "/api/texts/welcome.nope", {"text": "x"})
        s2, _ = await coord.call("PUT", "/api/texts/meta.privacy_version", {"text": "2030"})
        s3, _ = await coord.get("/api/texts/Welcome.text")
    assert (s1, s2, s3) == (404, 404, 404)
    assert "welcome.nope" in b1["error"]


async def test_only_a_coordinator_with_its_csrf_token_may_edit(client: TestClient) -> None:
    async with logged_in(client, "conseil@ml55.fr") as counsellor:
        assert (await counsellor.get("/api/texts"))[0] == 403
        status, _ = await counsellor.call("PUT", "/api/texts/faq.free", {"text": "Non."})
        assert status == 403
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.call("PUT", "/api/texts/faq.free", {"text": "Non."}, csrf=False)
        assert status == 403 and "Session expirée" in body["error"]
        status, _ = await coord.post("/api/texts/faq.free/rollback", {"version": 0}, csrf="bad")
        assert status == 403
    anonymous = await client.get("/api/texts/faq.free")
    assert anonymous.status == 401
    assert await of(client.app).store.text_versions("faq.free") == []


async def test_the_catalogue_is_grouped_by_section_and_searchable(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        await coord.call("PUT", "/api/texts/need.btn_job", {"text": "Un petit boulot"})
        status, body = await coord.get("/api/texts?q=PETIT%20BOULOT")
        conforms("get", "/api/texts", status, body)
        _, every = await coord.get("/api/texts")
        _, accents = await coord.get("/api/texts?q=ENCHANTE")
        _, nothing = await coord.get("/api/texts?q=enchante%20zzz")
    assert body["sections"] == [
        {
            "section": "need",
            "entries": [
                {"key": "need.btn_job", "text": "Un petit boulot", "edited": True, "button": True}
            ],
        }
    ]
    names = [s["section"] for s in every["sections"]]
    assert names[:3] == ["welcome", "name", "age"] and "meta" not in names
    assert [e["key"] for s in accents["sections"] for e in s["entries"]] == ["age.ask"]
    assert nothing["sections"] == []


async def test_the_preview_shows_each_channel_with_sample_values(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.post(
            "/api/texts/welcome.btn_start/preview", {"text": "Allons-y, c'est parti"}
        )
        conforms("post", "/api/texts/{key}/preview", status, body)
        _, age = await coord.post(
            "/api/texts/age.ask/preview", {"text": "Et ton âge, {first_name} ?"}
        )
    preview = body["preview"]
    assert body["problems"] == [
        "Titre de bouton trop long : 21 caractères, 20 au plus (limite de Messenger et d'Instagram)."
    ]
    assert preview["message_key"] == "welcome.text"
    assert preview["messenger"]["buttons"][0] == "Allons-y, c'est…"  # Messenger cuts it
    assert preview["messenger"]["cut"] == ["Allons-y, c'est parti"]
    assert preview["telegram"]["rows"][0] == ["Allons-y, c'est parti"]  # one a row when long
    assert preview["web"]["buttons"] == ["Allons-y, c'est parti", "C'est quoi ?", "Non merci"]
    assert age["problems"] == [] and age["preview"]["web"]["parts"] == ["Et ton âge, Lina ?"]


async def test_an_edited_faq_answer_is_what_the_next_question_gets(client: TestClient) -> None:
    answer = "Oui, 100 % gratuit 🙂 Et tu arrêtes quand tu veux."
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        async with ChatClient.connect(client) as chat:
            await chat.say("salut")
            await chat.tap("START")
            before = texts(await chat.say("c'est gratuit ?"))
            status, _ = await coord.call("PUT", "/api/texts/faq.free", {"text": answer})
            assert status == 200
            after = texts(await chat.say("c'est payant ?"))
    assert answer not in before and "entièrement gratuit" in before
    assert answer in after and "prénom" in after  # then the question is asked again
