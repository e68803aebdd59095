"""Youths on Messenger and Instagram, end to end: signed webhooks in, the real server and
SQLite file in between, a fake Graph API out."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.settings import Settings
from tests.support.fake_meta import (
    PAGE_TOKEN,
    Failure,
    FakeGraph,
    MetaYouth,
    fixture_bytes,
    fresh_fixture,
    meta_settings,
    payloads,
    post_webhook,
    settle,
    texts,
)
from tests.support.faults import store_locked
from tests.support.resources import of as resources_of


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
def settings(make_settings: Any, graph: FakeGraph) -> Settings:
    return make_settings(**meta_settings(graph))


@pytest.fixture
def messenger(client: TestClient, graph: FakeGraph) -> MetaYouth:
    return MetaYouth(client, graph, platform="messenger")


@pytest.fixture
def instagram(client: TestClient, graph: FakeGraph) -> MetaYouth:
    return MetaYouth(client, graph, platform="instagram")


async def _intake_after_welcome(youth: MetaYouth) -> list[dict[str, Any]]:
    got = await youth.tap("START", "C'est parti 🚀")
    assert "prénom" in texts(got)
    got = await youth.say("moi c lina")
    assert "Lina" in texts(got)
    got = await youth.say("g 19 ans")
    assert "commune" in texts(got)
    got = await youth.say("Stenay")
    assert "NEED:job" in payloads(got)
    got = await youth.tap("NEED:job", "Un job")
    assert "CONTACT:chat" in payloads(got)
    got = await youth.say("06 12 34 56 78 par sms")
    assert "AVAIL:any" in payloads(got)
    got = await youth.tap("AVAIL:weekday_morning", "En semaine, matin")
    assert "Stenay" in texts(got) and payloads(got) == ["SUMMARY:ok", "SUMMARY:fix"]
    return await youth.tap("SUMMARY:ok", "C'est bon ✅")


async def _check_ticket(client: TestClient, channel: str, source: str | None) -> None:
    runtime = resources_of(client.app)
    waiting = await runtime.store.list_tickets("waiting")
    assert len(waiting) == 1
    ticket = waiting[0]
    assert ticket.channel == channel and ticket.source == source
    assert ticket.reason == "intake_done"
    snap = ticket.snapshot
    assert snap["first_name"] == "Lina" and snap["age"] == 19
    assert snap["commune_code"] == "55502" and snap["phone"] == "+33612345678"
    conversation = await runtime.store.get_conversation(ticket.conversation_id)
    assert conversation is not None and conversation.mode == "waiting"


@pytest.mark.parametrize("platform", ["messenger", "instagram"])
async def test_full_intake_to_a_ticket(client: TestClient, graph: FakeGraph, platform: str) -> None:
    youth = MetaYouth(client, graph, platform=platform)
    got = await youth.say("salut")
    assert payloads(got) == ["START", "WHAT", "NO"]
    got = await _intake_after_welcome(youth)
    assert "J'ai transmis ta demande" in texts(got)
    assert youth.actions <= 9
    await _check_ticket(client, platform, None)
    # Every call went where it should, with the right token, and fitted the platform.
    token = PAGE_TOKEN  # no INSTAGRAM_ACCESS_TOKEN here: Instagram goes through the Page
    assert {c.token for c in graph.calls} == {token}
    assert all(c.body["messaging_type"] == "RESPONSE" for c in graph.calls)
    if platform == "instagram":
        assert all(len(m["text"].encode()) <= 1000 for m in graph.sent(youth.user_id))


async def test_get_started_from_a_poster_link_sets_the_ticket_source(
    client: TestClient, messenger: MetaYouth
) -> None:
    got = await messenger.postback("GET_STARTED", ref="affiche-mairie-stenay")
    assert payloads(got) == ["START", "WHAT", "NO"]
    got = await _intake_after_welcome(messenger)
    assert "J'ai transmis ta demande" in texts(got)
    await _check_ticket(client, "messenger", "affiche-mairie-stenay")


async def test_referral_into_an_existing_thread_sets_the_source(
    client: TestClient, instagram: MetaYouth
) -> None:
    resp = await post_webhook(client, fixture_bytes("instagram", "referral"))
    assert resp.status == 200
    await settle(client)
    conversation = await resources_of(client.app).store.find_conversation(
        "instagram", instagram.user_id
    )
    assert conversation is not None and conversation.source == "story-insta-oct"


async def test_wrong_signature_stores_nothing(
    client: TestClient, graph: FakeGraph, messenger: MetaYouth
) -> None:
    raw = fixture_bytes("messenger", "text")
    resp = await post_webhook(client, raw, signature="sha256=" + "0" * 64)
    assert resp.status == 403
    resp = await post_webhook(client, raw, signed=False)
    assert resp.status == 403
    await settle(client)
    runtime = resources_of(client.app)
    assert await runtime.store.find_conversation("messenger", messenger.user_id) is None
    assert graph.calls == []


async def test_same_mid_twice_gets_one_reply(messenger: MetaYouth) -> None:
    first = await messenger.say("salut", mid="m_twice")
    again = await messenger.say("salut", mid="m_twice")
    assert len(first) == 1 and again == []


async def test_same_mid_twice_in_one_batch_gets_one_reply(messenger: MetaYouth) -> None:
    event = messenger.event(message={"mid": "m_same_batch", "text": "salut"})
    got = await messenger.send(event, event)
    assert len(got) == 1


async def test_batched_entries_are_all_processed(client: TestClient, graph: FakeGraph) -> None:
    resp = await post_webhook(client, fresh_fixture("messenger", "batch_entries"))
    assert resp.status == 200
    await settle(client)
    for user in ("6789012345678901", "7890123456789012", "8901234567890123"):
        assert payloads(graph.sent(user)) == ["START", "WHAT", "NO"], user


async def test_store_down_gets_503_then_the_redelivery_is_processed(
    client: TestClient, graph: FakeGraph, messenger: MetaYouth
) -> None:
    store = resources_of(client.app).store
    raw = json.dumps(fresh_fixture("messenger", "text")).encode()
    async with store_locked(store.path):  # type: ignore[attr-defined]
        assert (await post_webhook(client, raw)).status == 503
    assert (await post_webhook(client, raw)).status == 200
    await settle(client)
    assert len(graph.sent(messenger.user_id)) == 1


async def test_answer_from_meta_inbox_keeps_the_bot_quiet(
    client: TestClient, graph: FakeGraph, messenger: MetaYouth
) -> None:
    await messenger.say("salut")
    resp = await post_webhook(client, fixture_bytes("messenger", "echo_inbox"))
    assert resp.status == 200
    assert await messenger.received() == []
    assert await messenger.say("ok merci, à quelle heure ?") == []
    assert await messenger.tap("START") == []
    runtime = resources_of(client.app)
    conversation = await runtime.store.find_conversation("messenger", messenger.user_id)
    assert conversation is not None and conversation.mode == "human"
    lines = await runtime.store.thread(conversation.id)
    staff = [line for line in lines if line.author == "counsellor"]
    assert [line.text for line in staff] == [
        "Bonjour, c'est Claire de la Mission locale, je prends le relais 🙂"
    ]


async def test_our_own_echo_changes_nothing(
    client: TestClient, graph: FakeGraph, messenger: MetaYouth
) -> None:
    await messenger.say("salut")
    resp = await post_webhook(client, fixture_bytes("messenger", "echo_own_app"))
    assert resp.status == 200
    await settle(client)
    runtime = resources_of(client.app)
    conversation = await runtime.store.find_conversation("messenger", messenger.user_id)
    assert conversation is not None and conversation.mode == "bot"
    got = await messenger.tap("START")
    assert "prénom" in texts(got)


async def test_echo_of_a_message_we_sent_is_ours_even_without_app_id(
    client: TestClient, graph: FakeGraph, instagram: MetaYouth
) -> None:
    await instagram.say("salut")
    sent_mid = "m_fake"
    for call in graph.calls:
        if call.delivered:
            sent_mid = call.response_id or sent_mid
    echo = {
        "sender": {"id": instagram.page_id},
        "recipient": {"id": instagram.user_id},
        "timestamp": 1795001399000,
        "message": {"mid": sent_mid, "is_echo": True, "text": "Salut 👋"},
    }
    assert await instagram.send(echo) == []
    conversation = await resources_of(client.app).store.find_conversation(
        "instagram", instagram.user_id
    )
    assert conversation is not None and conversation.mode == "bot"


async def test_standby_echo_and_message_are_recorded(
    client: TestClient, graph: FakeGraph, messenger: MetaYouth
) -> None:
    await messenger.say("salut")
    await messenger.tap("START")
    resp = await post_webhook(client, fixture_bytes("messenger", "standby_echo_inbox"))
    assert resp.status == 200
    assert await messenger.received() == []
    runtime = resources_of(client.app)
    conversation = await runtime.store.find_conversation("messenger", messenger.user_id)
    assert conversation is not None
    lines = await runtime.store.thread(conversation.id)
    assert [(line.author, line.text) for line in lines[-2:]] == [
        ("counsellor", "Tu es dispo jeudi à 14h ?"),
        ("youth", "oui jeudi ça marche"),
    ]


# --- delivery: retries and failures through the real sender ----------------------------
async def test_rate_limit_and_5xx_are_retried_then_delivered_in_order(
    graph: FakeGraph, messenger: MetaYouth
) -> None:
    graph.fail(Failure.graph(613), Failure.http(500), user_id=messenger.user_id)
    salut = messenger.event(message={"mid": "m_order1", "text": "salut"})
    start = messenger.event(
        message={"mid": "m_order2", "text": "go", "quick_reply": {"payload": "START"}}
    )
    got = await messenger.send(salut, start)
    assert payloads(got[:1]) == ["START", "WHAT", "NO"]
    assert "prénom" in got[1]["text"] and len(got) == 2
    statuses = [c.status for c in graph.calls]
    assert statuses == [400, 500, 200, 200]


async def test_timeout_is_retried(
    aiohttp_client: Any, settings: Settings, graph: FakeGraph
) -> None:
    app = create_app(settings)
    resources_of(app).channels["messenger"].timeout = 0.3  # type: ignore[attr-defined]
    client = await aiohttp_client(app)
    youth = MetaYouth(client, graph)
    graph.fail(Failure.hang(0.8))
    got = await youth.say("salut")
    assert payloads(got) == ["START", "WHAT", "NO"]
    assert [c.status for c in graph.calls][-1] == 200 and len(graph.calls) == 2


async def test_429_waits_as_asked(graph: FakeGraph, messenger: MetaYouth) -> None:
    graph.fail(Failure.too_many(retry_after="1"))
    got = await messenger.say("salut")
    assert len(got) == 1
    first, second = graph.calls
    assert first.status == 429 and second.status == 200
    assert second.at - first.at >= 0.9


async def test_person_unavailable_is_not_retried_and_shows_on_the_thread(
    client: TestClient, graph: FakeGraph, messenger: MetaYouth
) -> None:
    graph.fail(Failure.graph(551), user_id=messenger.user_id)
    assert await messenger.say("salut") == []
    assert len(graph.calls) == 1
    runtime = resources_of(client.app)
    conversation = await runtime.store.find_conversation("messenger", messenger.user_id)
    assert conversation is not None
    lines = await runtime.store.thread(conversation.id)
    bot_lines = [line for line in lines if line.author == "bot"]
    assert [(line.status, line.error) for line in bot_lines] == [("failed", "person_unavailable")]


async def test_token_never_appears_in_a_url(graph: FakeGraph, messenger: MetaYouth) -> None:
    await messenger.say("salut")
    assert graph.calls
    for call in graph.calls:
        assert call.query == {}
        assert PAGE_TOKEN not in call.path
        assert call.authorization == f"Bearer {PAGE_TOKEN}"
        assert "access_token" not in call.body


async def test_healthz_lists_the_meta_channels(client: TestClient) -> None:
    body = await (await client.get("/healthz")).json()
    assert {"messenger", "instagram", "web"} <= set(body["channels"])


async def test_unknown_graph_path_fails_loudly(graph: FakeGraph) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"{graph.base_url}/v25.0/me/conversations") as resp:
            assert resp.status == 404
    assert len(graph.unexpected) == 1
    graph.unexpected.clear()  # the fixture's assert_clean() would fail the test otherwise
