"""The Handoff service and its alert loop, on the real app with a clock the test moves."""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from handoff import ALERTS, SERVICE
from handoff.accounts import Accounts
from handoff.errors import HeldByOther, Invalid, Refused
from handoff.service import Handoff
from tests.support.chat import ChatClient, texts
from tests.support.fake_telegram import SECRET, TOKEN, FakeTelegram
from tests.support.resources import of as resources_of
from tests.support.staff import add_staff, fast_hashing, finish_intake, next_message, ticket_of

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY_10H = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS).timestamp()
FRIDAY_16H50 = datetime.datetime(2026, 11, 27, 16, 50, tzinfo=PARIS).timestamp()
MINUTE = 60.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_10H)


@pytest.fixture
def start_app(aiohttp_client: Any, make_settings: Any, clock: Clock) -> Callable[..., Any]:
    async def start(**settings: Any) -> TestClient:
        values = {"urgent_alert_minutes": 10, "alert_minutes": 30, **settings}
        return await aiohttp_client(create_app(make_settings(**values), clock=clock))

    return start


def service_of(client: TestClient) -> Handoff:
    return client.app[SERVICE]


async def _sql(client: TestClient, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    store: Any = resources_of(client.app).store
    async with store._tx() as db:
        cur = await db.execute(sql, params)
        return [tuple(r) for r in await cur.fetchall()]


async def test_queue_is_urgent_first_then_oldest(start_app: Any, clock: Clock) -> None:
    client = await start_app()
    async with ChatClient.connect(client) as first, ChatClient.connect(client) as second:
        await finish_intake(first, "Lina")
        clock.now += MINUTE
        await finish_intake(second, "Yanis")
        clock.now += MINUTE
        async with ChatClient.connect(client) as third:
            await third.say("salut")
            frames = await third.say("je veux mourir")
            assert "3114" in texts(frames)
            urgent = await ticket_of(client, third)
    queue = await service_of(client).queue("waiting")
    assert queue[0]["id"] == urgent
    assert [t["first_name"] for t in queue[1:]] == ["Lina", "Yanis"]
    assert queue[0]["priority"] == "urgent" and queue[0]["reason"] == "distress"


async def test_alerts_urgent_on_wall_clock_normal_in_office_hours(
    start_app: Any, clock: Clock
) -> None:
    client = await start_app()
    runtime, alerts = resources_of(client.app), client.app[ALERTS]
    async with ChatClient.connect(client) as normal, ChatClient.connect(client) as urgent:
        await finish_intake(normal)
        await urgent.say("je dors dehors ce soir")
        normal_id, urgent_id = await ticket_of(client, normal), await ticket_of(client, urgent)
    async with runtime.live.subscribe() as events:
        clock.now += 9 * MINUTE
        assert await alerts.check() == []
        clock.now += 2 * MINUTE
        assert await alerts.check() == [urgent_id]
        assert await alerts.check() == []  # set once
        clock.now += 20 * MINUTE
        assert await alerts.check() == [normal_id]
        seen = [events.get_nowait() for _ in range(events.qsize())]
    alerted = [e.data["ticket_id"] for e in seen if e.kind == "ticket_alert"]
    assert alerted == [urgent_id, normal_id]
    queue = await service_of(client).queue("waiting")
    assert all(t["alert"] and t["alerted_at"] is not None for t in queue)


async def test_normal_tickets_wait_through_the_weekend_without_alerting(
    start_app: Any, clock: Clock
) -> None:
    clock.now = FRIDAY_16H50
    client = await start_app()
    alerts = client.app[ALERTS]
    async with ChatClient.connect(client) as chat:
        await finish_intake(chat)
        ticket = await ticket_of(client, chat)
    clock.now = FRIDAY_16H50 + 2 * 24 * 3600  # Sunday: 10 office minutes so far
    assert await alerts.check() == []
    clock.now = MONDAY_10H - 60 * MINUTE + 19 * MINUTE  # Monday 9:19: 29 office minutes
    assert await alerts.check() == []
    assert (await service_of(client).queue())[0]["alert"] is False
    clock.now += 2 * MINUTE
    assert await alerts.check() == [ticket]


async def test_staff_group_hears_of_new_tickets_and_alerts(start_app: Any, clock: Clock) -> None:
    async with FakeTelegram() as fake:
        client = await start_app(
            telegram_bot_token=TOKEN,
            telegram_webhook_secret=SECRET,
            telegram_api_base_url=fake.base_url,
            telegram_staff_chat_id="-100555",
        )
        async with ChatClient.connect(client) as chat:
            await chat.say("salut")
            await chat.say("je veux mourir")
        await fake.wait_for(lambda: bool(fake.sent_texts("-100555")))
        clock.now += 11 * MINUTE
        await client.app[ALERTS].check()
        await fake.wait_for(lambda: len(fake.sent_texts("-100555")) == 2)
        notices = fake.sent_texts("-100555")
        fake.check()
    assert notices[0].startswith(
        "🚨 Nouveau ticket URGENT — territoire non précisé — prénom non donné"
    )
    assert "en attente depuis à l'instant" in notices[0]
    assert notices[1].startswith("🚨 Ticket URGENT toujours sans conseiller")
    assert "11 min" in notices[1] and "/handoff/" in notices[1]


async def test_sending_is_refused_when_the_ticket_moves_during_the_write(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    service = service_of(client)
    anne, bruno = (
        await add_staff(client, "a@ml55.fr"),
        await add_staff(client, "b@ml55.fr", name="Bruno"),
    )
    await service.claim(ticket, anne)
    runtime = resources_of(client.app)
    real_commit = runtime.store.commit

    async def commit_after_a_transfer(uow: Any, now: float) -> Any:
        runtime.store.commit = real_commit  # type: ignore[method-assign]
        await service.transfer(ticket, anne, to_staff_id=bruno.id)  # lands between check and write
        return await real_commit(uow, now)

    runtime.store.commit = commit_after_a_transfer  # type: ignore[method-assign]
    with pytest.raises(HeldByOther) as refused:
        await service.send_message(ticket, anne, "trop tard")
    assert refused.value.holder == "Bruno"
    conversation = await runtime.store.find_conversation("web", chat.user_id)
    assert conversation is not None
    lines = await runtime.store.thread(conversation.id)
    assert not any(line.text == "trop tard" for line in lines)


async def test_a_counsellor_reply_resets_the_acknowledgement(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    service = service_of(client)
    anne = await add_staff(client, "a@ml55.fr")
    assert "Bien reçu" in texts(await chat.say("allo ?"))
    runtime = resources_of(client.app)
    assert (await runtime.store.get_ticket(ticket)).acked  # type: ignore[union-attr]
    await service.claim(ticket, anne)
    await service.send_message(ticket, anne, "Me voilà")
    await next_message(chat)
    after = await runtime.store.get_ticket(ticket)
    assert after is not None and not after.acked and after.first_reply_at is not None
    first_reply = after.first_reply_at
    await service.send_message(ticket, anne, "Tu es là ?")
    again = await runtime.store.get_ticket(ticket)
    assert again is not None and again.first_reply_at == first_reply


@pytest.mark.parametrize(("days", "allowed"), [(0.5, True), (2, True), (8, False)])
async def test_meta_window_is_checked_before_sending(
    client: TestClient, chat: ChatClient, days: float, allowed: bool
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    service, runtime = service_of(client), resources_of(client.app)
    anne = await add_staff(client, "a@ml55.fr")
    await service.claim(ticket, anne)
    last = runtime.clock() - days * 24 * 3600
    await _sql(
        client,
        "UPDATE conversations SET channel = 'messenger', last_inbound_at = ? WHERE ticket_id = ?",
        last,
        ticket,
    )
    detail = await service.ticket_detail(ticket, anne)
    window = {0.5: "open", 2: "human_agent", 8: "closed"}[days]
    assert detail["conversation"]["reply_window"] == window
    if allowed:
        assert (await service.send_message(ticket, anne, "Bonjour"))["status"] == "pending"
    else:
        with pytest.raises(Invalid) as refused:
            await service.send_message(ticket, anne, "Bonjour")
        assert "plus de 7 jours" in refused.value.message(runtime.texts)


async def test_disabling_an_account_puts_its_tickets_back(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    service, runtime = service_of(client), resources_of(client.app)
    coord = await add_staff(client, "coord@ml55.fr", "coordinator")
    anne = await add_staff(client, "a@ml55.fr")
    await service.claim(ticket, anne)
    await Accounts(service).disable_staff(coord, anne.id)
    summary = await service.summary(ticket)
    assert summary["status"] == "waiting" and summary["assigned_to"] is None
    conversation = await runtime.store.find_conversation("web", chat.user_id)
    assert conversation is not None and conversation.mode == "waiting"
    assert "Bien reçu" in texts(await chat.say("ohé"))


async def test_coordinator_may_manage_any_open_ticket(client: TestClient, chat: ChatClient) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    service = service_of(client)
    coord = await add_staff(client, "coord@ml55.fr", "coordinator")
    anne = await add_staff(client, "a@ml55.fr", name="Anne")
    bruno = await add_staff(client, "b@ml55.fr")
    assert (await service.transfer(ticket, coord, to_staff_id=anne.id))["holder"] == "Anne"
    with pytest.raises(HeldByOther):
        await service.close(ticket, bruno, "other")
    closed = await service.close(ticket, coord, "unreachable")
    assert closed["outcome"] == "unreachable"
    with pytest.raises(Refused):
        await service.claim(ticket, bruno)


async def test_audit_log_says_who_did_what_without_personal_data(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    service = service_of(client)
    anne = await add_staff(client, "a@ml55.fr")
    await service.ticket_detail(ticket, anne)
    await service.ticket_detail(ticket, anne)  # a reload within minutes is one view
    await service.claim(ticket, anne)
    await service.add_note(ticket, anne, "Lina veut passer le permis")
    await service.send_message(ticket, anne, "Bonjour Lina")
    await service.close(ticket, anne, "registered_mission_locale")
    rows = await _sql(
        client,
        "SELECT actor, action, target, details FROM audit WHERE actor LIKE 'staff:%' ORDER BY id",
    )
    assert [r[1] for r in rows] == [
        "ticket_viewed",
        "ticket_claimed",
        "note_added",
        "message_sent",
        "ticket_closed",
    ]
    assert {r[0] for r in rows} == {f"staff:{anne.id}"} and {r[2] for r in rows} == {
        f"ticket:{ticket}"
    }
    assert json.loads(rows[-1][3]) == {"outcome": "registered_mission_locale"}
    assert not any("Lina" in r[3] or "permis" in r[3] for r in rows)


async def _erase(chat: ChatClient) -> None:
    await chat.say("supprime mes données")
    assert "effacées" in texts(await chat.tap("ERASE:yes"))


async def test_a_youth_erasing_their_data_ends_the_ticket_for_the_counsellor(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    service = service_of(client)
    anne = await add_staff(client, "a@ml55.fr")
    await service.claim(ticket, anne)
    await _erase(chat)
    with pytest.raises(Refused):
        await service.send_message(ticket, anne, "Bonjour ?")
    detail = await service.ticket_detail(ticket, anne)
    assert detail["snapshot"] == {} and detail["ticket"]["outcome"] == "erased"
    assert detail["messages"] == [] and detail["ticket"]["first_name"] is None


async def test_a_youth_erasing_their_data_erases_staff_notes_and_meetings(
    client: TestClient, chat: ChatClient
) -> None:
    await finish_intake(chat)
    ticket = await ticket_of(client, chat)
    service = service_of(client)
    anne = await add_staff(client, "a@ml55.fr")
    await service.claim(ticket, anne)
    await service.add_note(ticket, anne, "Lina, 06 12 34 56 78, vit chez sa tante")
    day = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    await service.propose_meeting(ticket, anne, day, "10:00", "Chez sa tante à Stenay")
    await _erase(chat)
    assert await _sql(client, "SELECT COUNT(*) FROM ticket_notes") == [(0,)]
    assert await _sql(client, "SELECT COUNT(*) FROM meetings") == [(0,)]
