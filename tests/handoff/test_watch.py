"""Held tickets left unanswered alert their holder, then the coordinators, once; on a test clock."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from handoff import SERVICE, WATCH
from tests.support.chat import ChatClient
from tests.support.clock import Clock
from tests.support.fake_telegram import SECRET, TOKEN, FakeTelegram
from tests.support.resources import of
from tests.support.staff import add_staff, fast_hashing, finish_intake, logged_in, ticket_of

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY_10H = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS).timestamp()
MINUTE = 60.0
STAFF_GROUP = "-100555"


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_10H)


@pytest.fixture
def start_app(aiohttp_client: Any, make_settings: Any, clock: Clock) -> Callable[..., Any]:
    async def start(**settings: Any) -> TestClient:
        values = {"unanswered_alert_minutes": 30, "unanswered_escalate_minutes": 60, **settings}
        return await aiohttp_client(create_app(make_settings(**values), clock=clock))

    return start


async def test_the_holder_then_the_coordinators_hear_of_an_unanswered_youth_once(
    start_app: Any, clock: Clock
) -> None:
    async with FakeTelegram() as fake:
        telegram = {
            "telegram_bot_token": TOKEN,
            "telegram_webhook_secret": SECRET,
            "telegram_api_base_url": fake.base_url,
            "telegram_staff_chat_id": STAFF_GROUP,
        }
        client = await start_app(**telegram)
        anne = await add_staff(client, "anne@ml55.fr", name="Anne")
        await add_staff(client, "coord@ml55.fr", "coordinator", name="Coralie")
        async with ChatClient.connect(client) as chat:
            await finish_intake(chat, "Lina")
            ticket = await ticket_of(client, chat)
        await client.app[SERVICE].claim(ticket, anne)
        watch = client.app[WATCH]
        runtime = of(client.app)
        async with runtime.live.subscribe() as events:
            clock.now += 29 * MINUTE
            assert await watch.check() == []
            clock.now += 2 * MINUTE
            assert await watch.check() == [(ticket, "holder")]
            assert await watch.check() == []  # once per wait
            seen = [events.get_nowait() for _ in range(events.qsize())]
        alert = [e.data for e in seen if e.kind == "ticket_alert"]
        assert alert == [
            {"ticket_id": ticket, "unanswered": "holder", "staff_id": anne.id, "priority": "normal"}
        ]
        await fake.wait_for(lambda: any("attend Anne" in t for t in fake.sent_texts(STAFF_GROUP)))
        await client.close()

        # A restart does not repeat the holder's alert; the coordinators' comes in its time.
        client = await start_app(**telegram)
        watch = client.app[WATCH]
        assert await watch.check() == []
        clock.now += 58 * MINUTE  # 89 office minutes
        assert await watch.check() == []
        clock.now += 2 * MINUTE
        assert await watch.check() == [(ticket, "coordinator")]
        await fake.wait_for(
            lambda: any("coordination est prévenue" in t for t in fake.sent_texts(STAFF_GROUP))
        )
        notices = [t for t in fake.sent_texts(STAFF_GROUP) if t.startswith("⏰")]
        fake.check()
    assert len(notices) == 2
    assert all("Lina" in n and "/handoff/tickets/" in n for n in notices)
    assert "1 h 31 min" in notices[1]


async def test_an_answer_ends_the_wait_and_the_next_line_starts_another(
    start_app: Any, clock: Clock
) -> None:
    client = await start_app()
    anne = await add_staff(client, "anne@ml55.fr", name="Anne")
    service, watch = client.app[SERVICE], client.app[WATCH]
    async with ChatClient.connect(client) as chat:
        await finish_intake(chat, "Lina")
        ticket = await ticket_of(client, chat)
        await service.claim(ticket, anne)
        clock.now += 10 * MINUTE
        await service.send_message(ticket, anne, "Bonjour Lina, je regarde ta demande.")
        clock.now += 60 * MINUTE
        assert await watch.check() == []  # answered: nobody waits
        await chat.say("merci, et du coup ?")
        clock.now += 31 * MINUTE
        assert await watch.check() == [(ticket, "holder")]


async def test_the_dashboard_lists_the_callers_own_alerts(start_app: Any, clock: Clock) -> None:
    client = await start_app()
    async with logged_in(client, "anne@ml55.fr", name="Anne") as anne_client:
        async with ChatClient.connect(client) as chat:
            await finish_intake(chat, "Lina")
            ticket = await ticket_of(client, chat)
        status, _ = await anne_client.post(f"/api/tickets/{ticket}/claim")
        assert status == 200
        status, body = await anne_client.get("/api/watch")
        assert status == 200 and body["alerts"] == [] and body["absent"] is False
        clock.now += 45 * MINUTE
        status, body = await anne_client.get("/api/watch")
    assert body["alerts"] == [
        {
            "ticket_id": ticket,
            "step": "holder",
            "url": f"/handoff/tickets/{ticket}",
            "text": "⏰ Lina attend votre réponse depuis 45 min.",
        }
    ]
    assert body["push_key"] and body["texts"]["watch.absent_mark"]


async def test_the_tickets_of_a_signed_out_counsellor_go_back_to_the_queue(
    start_app: Any, clock: Clock
) -> None:
    client = await start_app(away_requeue_minutes=60)
    runtime, watch = of(client.app), client.app[WATCH]
    async with logged_in(client, "anne@ml55.fr", name="Anne") as anne:
        async with ChatClient.connect(client) as chat:
            await finish_intake(chat, "Lina")
            ticket = await ticket_of(client, chat)
        assert (await anne.post(f"/api/tickets/{ticket}/claim"))[0] == 200
        assert await watch.away.check() == []  # signed in: present
        assert (await anne.call("DELETE", "/api/session"))[0] in (200, 204)
    assert await watch.away.check() == []  # away from now on
    clock.now += 59 * MINUTE
    assert await watch.away.check() == []
    clock.now += 2 * MINUTE
    assert await watch.away.check() == [ticket]
    moved = await runtime.store.get_ticket(ticket)
    assert moved is not None and moved.status == "waiting" and moved.assigned_to is None
    conversation = await runtime.store.get_conversation(moved.conversation_id)
    assert conversation is not None
    note = (await runtime.store.thread(conversation.id))[-1]
    assert (note.author, note.text) == (
        "system",
        "Remis dans la file : Anne est absent·e depuis 1 h 1 min.",
    )
    trail = await runtime.store.audit_trail([f"ticket:{ticket}"])
    assert trail[-1].action == "ticket_requeued_away" and trail[-1].actor == "system:away"
    assert await watch.away.check() == []  # nothing held any more


async def test_a_counsellor_marked_absent_is_away_though_signed_in(
    start_app: Any, clock: Clock
) -> None:
    client = await start_app(away_requeue_minutes=30)
    watch = client.app[WATCH]
    async with logged_in(client, "anne@ml55.fr", name="Anne") as anne:
        async with ChatClient.connect(client) as chat:
            await finish_intake(chat, "Lina")
            ticket = await ticket_of(client, chat)
        assert (await anne.post(f"/api/tickets/{ticket}/claim"))[0] == 200
        assert (await anne.call("PUT", "/api/me/absence", {"absent": "oui"}))[0] == 422
        assert await anne.call("PUT", "/api/me/absence", {"absent": True}) == (
            200,
            {"absent": True},
        )
        assert (await anne.get("/api/watch"))[1]["absent"] is True
        clock.now += 29 * MINUTE
        assert await watch.away.check() == []
        assert await anne.call("PUT", "/api/me/absence", {"absent": False}) == (
            200,
            {"absent": False},
        )
        clock.now += 29 * MINUTE
        assert await watch.away.check() == []  # back in time: kept
        assert (await anne.call("PUT", "/api/me/absence", {"absent": True}))[0] == 200
        clock.now += 31 * MINUTE
        assert await watch.away.check() == [ticket]
        actions = [
            e.action for e in await of(client.app).store.audit_trail([f"staff:{anne.staff['id']}"])
        ]
    assert actions == ["staff_absent", "staff_back", "staff_absent"]
