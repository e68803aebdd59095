"""Web Push through a loopback push service: who gets what, encrypted, and gone devices forgotten."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.store.base import Staff
from bot.store.roles_push import PushSubscription
from handoff import SERVICE, WATCH
from tests.support.chat import ChatClient
from tests.support.push_service import Device, PushService, verify_vapid
from tests.support.resources import of
from tests.support.staff import add_staff, fast_hashing, finish_intake, logged_in, ticket_of

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")
STENAY = "CC du Pays de Stenay et du Val Dunois"


async def _leading(client: TestClient) -> None:
    watch = client.app[WATCH]
    async with asyncio.timeout(5):
        while not watch.leading:
            await asyncio.sleep(0.01)


async def _two_counsellors(client: TestClient) -> tuple[Staff, Staff]:
    """Anne works for Stenay's communities of communes, Bruno for Verdun."""
    anne = await add_staff(client, "anne@ml55.fr", name="Anne", territory=STENAY)
    bruno = await add_staff(client, "bruno@ml55.fr", name="Bruno", territory="Verdun")
    return anne, bruno


async def _subscribe(client: TestClient, staff_id: int, device: Device) -> None:
    sub = device.subscription()
    await of(client.app).store.save_subscription(
        PushSubscription(sub["endpoint"], staff_id, sub["keys"]["p256dh"], sub["keys"]["auth"], 1.0)
    )


async def test_an_urgent_ticket_reaches_the_devices_encrypted_and_signed(
    aiohttp_client: Any, make_settings: Any
) -> None:
    client = await aiohttp_client(create_app(make_settings()))
    async with PushService() as service:
        anne, bruno = await _two_counsellors(client)
        phone, gone = service.device("anne-phone"), service.device("bruno-old")
        service.gone.add("bruno-old")
        await _subscribe(client, anne.id, phone)
        await _subscribe(client, bruno.id, gone)
        await _leading(client)
        async with ChatClient.connect(client) as chat:
            await chat.say("salut")
            await chat.say("je veux mourir")
        pushes = await service.wait_for(2)
        await client.app[WATCH].pusher.wait_sent()
        store = of(client.app).store
        assert [s.endpoint for s in await store.subscriptions([anne.id, bruno.id])] == [
            phone.endpoint
        ]
    [to_anne] = [p for p in pushes if p.path == "/push/anne-phone"]
    assert to_anne.headers["Content-Encoding"] == "aes128gcm"
    assert b"Lina" not in to_anne.body and b"urgent" not in to_anne.body  # encrypted
    payload = phone.read(to_anne)
    assert payload["title"] == "🚨 Ticket urgent"
    assert payload["body"] == "prénom non donné — territoire non précisé"
    assert payload["url"].startswith("http://127.0.0.1:8080/handoff/tickets/")
    # Signed with the service's VAPID key, which the dashboard hands to browsers.
    claims = verify_vapid(to_anne.headers["Authorization"], client.app[WATCH].pusher.public_key)
    assert claims["aud"] == service.url and claims["sub"] == "mailto:push@localhost"


async def test_new_tickets_by_territory_and_replies_to_their_holder(
    aiohttp_client: Any, make_settings: Any
) -> None:
    client = await aiohttp_client(create_app(make_settings()))
    async with PushService() as service:
        anne, bruno = await _two_counsellors(client)
        anne_phone, bruno_phone = service.device("anne"), service.device("bruno")
        await _subscribe(client, anne.id, anne_phone)
        await _subscribe(client, bruno.id, bruno_phone)
        await _leading(client)
        async with ChatClient.connect(client) as chat:
            await finish_intake(chat, "Lina")
            ticket = await of(client.app).store.get_ticket(await ticket_of(client, chat))
            assert ticket is not None
            [new] = await service.wait_for(1)
            await client.app[SERVICE].claim(ticket.id, bruno)
            await chat.say("vous êtes là ?")
            pushes = await service.wait_for(2)
            await client.app[WATCH].pusher.wait_sent()
    assert len(pushes) == 2  # Bruno (Verdun) heard nothing of a Stenay ticket
    assert ticket.territory == STENAY
    assert new.path == "/push/anne"
    assert anne_phone.read(new) == {
        "title": "Nouveau ticket",
        "body": f"Lina — {STENAY}",
        "url": f"http://127.0.0.1:8080/handoff/tickets/{ticket.id}",
    }
    reply = pushes[1]
    assert reply.path == "/push/bruno"
    assert bruno_phone.read(reply)["body"] == "Lina vous a écrit."
    assert b"vous" not in reply.body


async def test_members_of_a_structure_hear_of_its_new_tickets_only(
    aiohttp_client: Any, make_settings: Any
) -> None:
    client = await aiohttp_client(create_app(make_settings()))
    async with PushService() as service:
        anne, bruno = await _two_counsellors(client)
        store = of(client.app).store
        # Anne's territory is Stenay's, but she now works for the Sud meusien team.
        assert await store.set_membership(anne.id, "sud-meusien")
        assert await store.set_membership(bruno.id, "nord-meusien")
        anne_phone, bruno_phone = service.device("anne"), service.device("bruno")
        await _subscribe(client, anne.id, anne_phone)
        await _subscribe(client, bruno.id, bruno_phone)
        await _leading(client)
        async with ChatClient.connect(client) as chat:
            await finish_intake(chat, "Lina")  # from Stenay: the Nord meusien's
            ticket = await store.get_ticket(await ticket_of(client, chat))
            assert ticket is not None and ticket.snapshot["structure"] == "nord-meusien"
            [new] = await service.wait_for(1)
            await client.app[WATCH].pusher.wait_sent()
    assert new.path == "/push/bruno"
    assert bruno_phone.read(new)["title"] == "Nouveau ticket"
    assert [p.path for p in service.received] == ["/push/bruno"]


async def test_a_device_subscribes_and_unsubscribes_through_the_api(client: TestClient) -> None:
    async with logged_in(client, "anne@ml55.fr") as anne:
        device = Device("https://push.example.net/send/abc")
        bad = {"endpoint": "http://push.example.net/x", "keys": {"p256dh": "k", "auth": "a"}}
        assert (await anne.post("/api/push/subscriptions", bad))[0] == 422
        assert (await anne.post("/api/push/subscriptions", {"endpoint": device.endpoint}))[0] == 422
        assert await anne.post("/api/push/subscriptions", device.subscription()) == (
            201,
            {"subscribed": True},
        )
        store = of(client.app).store
        [saved] = await store.subscriptions([anne.staff["id"]])
        assert (saved.endpoint, saved.p256dh) == (device.endpoint, device.p256dh)
        gone = await anne.call("DELETE", "/api/push/subscriptions", {"endpoint": device.endpoint})
        assert gone == (200, {"removed": True})
        assert await store.subscriptions([anne.staff["id"]]) == []


async def test_the_dashboard_serves_the_push_worker_for_its_scope(client: TestClient) -> None:
    resp = await client.get("/handoff/push-worker.js")
    body = await resp.text()
    assert resp.status == 200 and resp.content_type == "text/javascript"
    assert resp.headers["Service-Worker-Allowed"] == "/handoff/"
    assert 'addEventListener("push"' in body and "showNotification" in body


async def test_a_waiting_ticket_that_turns_urgent_is_pushed_once(
    aiohttp_client: Any, make_settings: Any
) -> None:
    client = await aiohttp_client(create_app(make_settings()))
    async with PushService() as service:
        anne, _ = await _two_counsellors(client)
        phone = service.device("anne")
        await _subscribe(client, anne.id, phone)
        await _leading(client)
        async with ChatClient.connect(client) as chat:
            await finish_intake(chat, "Lina")
            await service.wait_for(1)  # the new ticket
            await chat.say("en fait je veux mourir")
            pushes = await service.wait_for(2)
            await chat.say("je veux mourir")
            await client.app[WATCH].pusher.wait_sent()
            await asyncio.sleep(0.3)
            await client.app[WATCH].pusher.wait_sent()
    assert len(service.received) == 2
    assert phone.read(pushes[1])["title"] == "🚨 Ticket urgent"
