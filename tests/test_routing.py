"""A youth's ticket goes to the structure serving their commune, on every store backend.

End to end: the real app seeds the Meuse default at start, a youth goes through the website
chat, and the ticket in the store carries its structure; the closing message names it.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.flows.intake import FlowInput, step
from bot.flows.prompts import FlowDeps
from bot.store.base import Structure
from bot.store.sqlite import SQLiteStore
from bot.territories import REFRESH_SECONDS, Routing, default_structures
from tests.support.chat import ChatClient, payloads, texts
from tests.support.resources import of


@pytest.fixture(params=["sqlite", "mongo"])
async def routed(
    request: pytest.FixtureRequest, aiohttp_client: Any, make_settings: Any
) -> AsyncIterator[TestClient]:
    if request.param == "sqlite":
        yield await aiohttp_client(create_app(make_settings()))
        return
    from tests.support.mongo import drop_database, fresh_database_url

    url, standalone = await asyncio.to_thread(fresh_database_url)
    settings = make_settings(store_url=url, mongodb_allow_standalone=standalone)
    try:
        yield await aiohttp_client(create_app(settings))
    finally:
        await drop_database(url)


async def intake(chat: ChatClient, commune: str) -> list[dict[str, Any]]:
    """A youth answers every question; returns the frames after `commune`."""
    await chat.say("salut")
    await chat.tap("START")
    await chat.say("Lina")
    await chat.say("19")
    return await chat.say(commune)


async def finish(chat: ChatClient) -> str:
    """The rest of the intake after a Meuse commune; returns the closing message."""
    await chat.tap("NEED:job")
    await chat.tap("CONTACT:chat")
    await chat.tap("AVAIL:any")
    return texts(await chat.tap("SUMMARY:ok"))


async def test_a_youth_from_bar_le_duc_goes_to_sud_meusien(routed: TestClient) -> None:
    async with ChatClient.connect(routed) as chat:
        await intake(chat, "Bar-le-Duc")
        closing = await finish(chat)
    assert "J'ai transmis ta demande" in closing
    assert "Mission locale du Sud meusien" in closing
    (ticket,) = await of(routed.app).store.list_tickets("waiting")
    assert ticket.snapshot["structure"] == "sud-meusien"
    assert ticket.snapshot["commune_code"] == "55029"


async def test_a_youth_from_stenay_goes_to_nord_meusien(routed: TestClient) -> None:
    async with ChatClient.connect(routed) as chat:
        await intake(chat, "Stenay")
        closing = await finish(chat)
    assert "Mission locale du Nord meusien" in closing
    assert "Sud meusien" not in closing
    (ticket,) = await of(routed.app).store.list_tickets("waiting")
    assert ticket.snapshot["structure"] == "nord-meusien"


async def test_a_youth_from_outside_every_territory_gets_the_finder_link(
    routed: TestClient,
) -> None:
    runtime = of(routed.app)
    async with ChatClient.connect(routed) as chat:
        frames = await intake(chat, "Nancy")
        assert runtime.settings.mission_locale_finder_url in texts(frames)
        assert payloads(frames) == ["HUMAN:yes", "HUMAN:no"]
        # Wanting a person anyway: a ticket for the whole network, no structure.
        await chat.tap("HUMAN:yes")
    (ticket,) = await runtime.store.list_tickets("waiting")
    assert "structure" not in ticket.snapshot
    assert ticket.reason == "outside_meuse"


async def test_the_default_is_seeded_once_and_marked_to_check(routed: TestClient) -> None:
    store = of(routed.app).store
    structures = {s.id: s for s in await store.list_structures()}
    assert set(structures) == {"nord-meusien", "sud-meusien"}
    assert all(s.seeded for s in structures.values())
    assert "55545" in structures["nord-meusien"].communes  # Verdun
    assert {"55029", "55122"} <= set(structures["sud-meusien"].communes)  # Bar-le-Duc, Commercy
    assert len(structures["nord-meusien"].communes) + len(structures["sud-meusien"].communes) == 499


def test_routing_prefers_the_commune_then_the_epci(deps: FlowDeps) -> None:
    nord, sud = default_structures(deps.communes, 1.0)
    epci = Structure("epci", "Asso du Grand Verdun", "", epcis=("CA du Grand Verdun",))
    routing = Routing([nord, sud, epci])
    assert routing.route("55029", "CA de Bar-le-Duc - Sud Meuse") is sud
    assert routing.route("55545", "CA du Grand Verdun") is nord  # the commune wins
    assert routing.route("99999", "CA du Grand Verdun") is epci
    assert routing.route("54395", "Métropole du Grand Nancy") is None
    assert routing.route(None, None) is None


def test_a_commune_outside_the_meuse_served_by_a_structure_is_not_sent_away(
    deps: FlowDeps,
) -> None:
    (toul,) = deps.communes.match("Toul").communes
    served = Structure("toul", "Association de Toul", "", communes=(toul.code,))
    routed = dataclasses.replace(deps, routing=Routing([served]))
    profile = {"first_name": "Lina", "age": 19}
    result = step(routed, "ask_commune", profile, 0, FlowInput("text", "Toul"), consented=True)
    assert result.state == "ask_need"
    away = step(deps, "ask_commune", profile, 0, FlowInput("text", "Toul"), consented=True)
    assert away.state == "outside"


async def test_the_routing_map_reloads_when_stale_or_edited(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        await store.add_structure(Structure("a", "Structure A", "", communes=("55029",)))
        await store.add_structure(Structure("b", "Structure B", ""))
        routing = Routing()
        await routing.refresh(store, 100.0)
        assert routing.get("a") is not None and routing.route("55029", None) == routing.get("a")
        await store.assign_areas("b", "commune", ["55029"], 101.0)
        await routing.refresh(store, 100.0 + REFRESH_SECONDS - 1)
        assert routing.route("55029", None).id == "a"  # type: ignore[union-attr]
        await routing.refresh(store, 100.0 + REFRESH_SECONDS)
        assert routing.route("55029", None).id == "b"  # type: ignore[union-attr]
        await store.release_areas("b", "commune", ["55029"], 102.0)
        routing.invalidate()  # an edit on this instance: no waiting
        await routing.refresh(store, 100.0 + REFRESH_SECONDS)
        assert routing.route("55029", None) is None
    finally:
        await store.close()
