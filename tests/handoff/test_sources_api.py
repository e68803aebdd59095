"""Sources through the JSON API: coordinator only, codes and links, archive, bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from handoff.openapi import document
from tests.support.fake_telegram import SECRET, FakeTelegram
from tests.support.resources import of as resources_of
from tests.support.staff import fast_hashing, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

STENAY = {"label": "Boulangerie de Stenay", "kind": "shop", "commune": "Stenay"}


@pytest.fixture
def settings(make_settings: Any) -> Any:
    return make_settings(
        public_url="http://milomouv.example",
        messenger_page_name="MiloMouv55",
        instagram_account_name="milomouv.meuse",
    )


async def test_a_coordinator_creates_a_source_with_its_code_and_links(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.post("/api/sources", {**STENAY, "contact": "  Mme Invent  "})
        assert status == 201, body
        source = body["source"]
        code = source["code"]
        assert re.fullmatch(r"[a-z2-9]{6}", code)
        assert source["contact"] == "Mme Invent" and source["archived"] is False
        assert source["links"] == {
            "messenger": f"https://m.me/MiloMouv55?ref={code}",
            "instagram": f"https://ig.me/m/milomouv.meuse?ref={code}",
            "web": f"http://milomouv.example/?src={code}",
        }  # no Telegram link: no bot is configured, so no username from getMe
        status, listed = await coord.get("/api/sources")
    assert status == 200 and listed["sources"] == [source]
    trail = await resources_of(client.app).store.audit_trail([f"source:{code}"])
    assert [e.action for e in trail] == ["source_created"]
    assert "Stenay" not in str(trail[0].details)


async def test_archiving_keeps_the_source_but_hides_it_from_the_active_list(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        _, made = await coord.post("/api/sources", STENAY)
        code = made["source"]["code"]
        status, body = await coord.post(f"/api/sources/{code}/archive")
        assert status == 200 and body["source"]["archived"] is True
        _, active = await coord.get("/api/sources?archived=false")
        _, every = await coord.get("/api/sources")
        status, missing = await coord.post("/api/sources/zzzzzz/archive")
    assert active["sources"] == [] and [s["code"] for s in every["sources"]] == [code]
    assert status == 404 and missing == {"error": "Cette source n'existe pas."}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({**STENAY, "kind": "bakery"}, "Type de source inconnu"),
        ({**STENAY, "label": "   "}, "Le champ label doit contenir du texte"),
        ({**STENAY, "commune": "x" * 121}, "Le champ commune doit contenir du texte (120"),
        ({"kind": "shop", "commune": "Stenay"}, "label"),
        ({**STENAY, "contact": 12}, "contact"),
    ],
)
async def test_bad_input_is_refused_with_the_reason_and_nothing_is_saved(
    client: TestClient, body: dict[str, Any], error: str
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, answer = await coord.post("/api/sources", body)
        _, listed = await coord.get("/api/sources")
    assert status == 422 and error in answer["error"]
    assert listed["sources"] == []


async def test_counsellors_may_not_see_or_create_sources(client: TestClient) -> None:
    async with logged_in(client, "conseil@ml55.fr") as counsellor:
        for method, path in (("GET", "/api/sources"), ("POST", "/api/sources")):
            status, answer = await counsellor.call(method, path, STENAY)
            assert status == 403, path
            assert answer == {"error": "Cette action est réservée à la coordination."}


def test_the_document_describes_the_source_routes() -> None:
    paths = document()["paths"]
    assert set(paths["/api/sources"]) == {"get", "post"}
    assert "/api/sources/{id}/archive" in paths
    assert "Source" in document()["components"]["schemas"]


def test_a_bad_account_name_stops_start_up_naming_the_setting(make_settings: Any) -> None:
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="messenger_page_name"):
        make_settings(messenger_page_name="https://m.me/x")


async def test_the_telegram_link_uses_the_username_getme_gave_at_start(
    aiohttp_client: Any, make_settings: Any
) -> None:
    async with FakeTelegram() as fake:
        settings = make_settings(
            telegram_bot_token=fake.token,
            telegram_webhook_secret=SECRET,
            telegram_api_base_url=fake.base_url,
        )
        client = await aiohttp_client(create_app(settings))
        async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
            _, body = await coord.post("/api/sources", STENAY)
        await client.close()
    code = body["source"]["code"]
    assert body["source"]["links"]["telegram"] == f"https://t.me/milomouv_test_bot?start={code}"
