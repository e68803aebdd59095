"""Two app instances on one MongoDB database, behind a load balancer, one killed mid-run.

Two real servers (`python main.py`) share one database and the loopback fake of the Bot API.
Every webhook goes to the instances in turn, as a load balancer would, and to the other one
when an instance does not answer. A counsellor works on instance A, a colleague on B:

- both claim the same ticket at once: one wins, the other is told;
- the youth then writes through B, and the counsellor's live stream on A shows it;
- many youths go through a whole intake while instance B is killed with SIGKILL.

Afterwards, from the fake's log and the database: every inbox event saved and processed once,
every reply delivered in order, none twice except those in flight at the kill (logged as
uncertain by the instance that took them over), one ticket per youth.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pymongo import AsyncMongoClient

from tests.support.fake_telegram import FakeTelegram
from tests.support.mongo import drop_database, store_env
from tests.support.server import Server, platform_env
from tests.test_crash import (
    SCRIPT,
    SOCKET_LEAK_IN_CLIENT,
    Youth,
    _collapse,
    _collect_leaked_sockets,  # noqa: F401 (an autouse fixture, used by being imported)
)

# The leases of the dead instance expire in real time, so this test runs for minutes.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900), *SOCKET_LEAK_IN_CLIENT]

YOUTHS = int(os.environ.get("MULTI_INSTANCE_YOUTHS", "20"))
KILL_AT = 0.5  # fraction of the youths' messages acknowledged when B dies
PASSWORD = "cheval correct batterie"
# B's leases must expire before A takes its work over: 60 s (conversations) and 120 s
# (replies in flight), plus A's next recovery pass.
DRAIN_SECONDS = 330


class Balancer:
    """Round-robin over the live instances; a refused or failed request goes to the next."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.turn = 0

    async def post(self, session: aiohttp.ClientSession, youth: Youth, body: bytes) -> str:
        while True:
            server = self.servers[self.turn % len(self.servers)]
            self.turn += 1
            try:
                async with session.post(
                    f"{server.url}/webhooks/telegram", data=body, headers=youth.headers(body)
                ) as resp:
                    if resp.status == 200:
                        return server.url
            except (TimeoutError, aiohttp.ClientError):
                pass
            await asyncio.sleep(0.05)


class Counsellor:
    """One person logged in on one instance through the API."""

    def __init__(self, server: Server, email: str) -> None:
        self.server = server
        self.email = email
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf = ""

    async def login(self) -> None:
        async with self.session.post(
            f"{self.server.url}/api/session", json={"email": self.email, "password": PASSWORD}
        ) as resp:
            assert resp.status == 200, await resp.text()
            self.csrf = (await resp.json())["csrf_token"]

    async def claim(self, ticket_id: str) -> int:
        async with self.session.post(
            f"{self.server.url}/api/tickets/{ticket_id}/claim",
            json={},
            headers={"X-CSRF-Token": self.csrf},
        ) as resp:
            return resp.status

    async def listen(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        """The dashboard's live stream (Server-Sent Events), collected until cancelled."""
        async with self.session.get(f"{self.server.url}/api/events") as resp:
            assert resp.status == 200
            kind = ""
            async for raw in resp.content:
                line = raw.decode().strip()
                if line.startswith("event: "):
                    kind = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    events.append((kind, json.loads(line.removeprefix("data: "))))


async def _send_all(
    session: aiohttp.ClientSession, balancer: Balancer, youth: Youth, progress: Counter[str]
) -> None:
    for body in youth.bodies:
        await balancer.post(session, youth, body)
        progress["acked"] += 1


async def _database(url: str) -> dict[str, Any]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    try:
        db = client.get_default_database()
        inbox = Counter([d["status"] async for d in db.inbox.find({}, {"status": 1})])
        outbox = Counter([d["status"] async for d in db.outbox.find({}, {"status": 1})])
        tickets = Counter([d["conversation_id"] async for d in db.tickets.find({})])
        events = {(d["channel"], d["event_id"]) async for d in db.inbox.find({})}
        return {"inbox": inbox, "outbox": outbox, "tickets": tickets, "events": len(events)}
    finally:
        await client.close()


@pytest.fixture
def reaped() -> Iterator[list[Server]]:
    """Servers killed at the end whatever happened, so that a failure leaves no process."""
    servers: list[Server] = []
    yield servers
    for server in servers:
        if server.proc is not None and server.proc.poll() is None:
            server.kill()


async def test_two_instances_share_conversations_and_survive_a_sigkill(
    tmp_path: Path, reaped: list[Server]
) -> None:
    env = store_env()
    url = env["MILOMOUV_STORE_URL"]
    async with FakeTelegram() as telegram:
        settings = {**env, **platform_env(telegram=telegram)}
        a = Server(tmp_path / "a", **settings)
        b = Server(tmp_path / "b", **settings)
        reaped.extend([a, b])
        for folder in ("a", "b"):
            (tmp_path / folder).mkdir()
        timeout = aiohttp.ClientTimeout(total=20)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            await a.start(session)
            await b.start(session)
            for email in ("anne@ml55.example", "bruno@ml55.example"):
                try:
                    a.command(
                        "user", "add", email, "--role", "counsellor", MILOMOUV_PASSWORD=PASSWORD
                    )
                except subprocess.CalledProcessError as exc:
                    raise AssertionError(exc.stderr[-2000:]) from None
            anne, bruno = Counsellor(a, "anne@ml55.example"), Counsellor(b, "bruno@ml55.example")
            live: list[tuple[str, dict[str, Any]]] = []
            listening: asyncio.Task[None] | None = None
            try:
                await anne.login()
                await bruno.login()
                listening = asyncio.create_task(anne.listen(live))
                balancer = Balancer([a, b])

                # One youth's intake through both instances; the ticket opens at the summary.
                first = Youth("telegram", 9_000)
                for body in first.bodies[:-1]:
                    await balancer.post(session, first, body)
                ticket_id = await _ticket_of(url, telegram, first)
                wins = await asyncio.gather(anne.claim(ticket_id), bruno.claim(ticket_id))
                assert sorted(wins) == [200, 409], wins

                # The youth writes through B: the counsellor connected to A sees it live.
                conversation_id = await _conversation_of(url, first)
                b_only = Balancer([b])
                await b_only.post(session, first, first.bodies[-1])
                deadline = time.monotonic() + 15
                while not any(
                    kind == "message" and data.get("conversation_id") == conversation_id
                    for kind, data in live
                ):
                    assert time.monotonic() < deadline, f"no live event on A: {live[-5:]}"
                    await asyncio.sleep(0.1)
            finally:
                if listening is not None:
                    listening.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await listening
                await anne.session.close()
                await bruno.session.close()

            # Many youths at once; B is killed with SIGKILL half-way.
            youths = [Youth("telegram", n) for n in range(YOUTHS)]
            total = len(youths) * len(SCRIPT)
            progress: Counter[str] = Counter()
            senders = asyncio.gather(*(_send_all(session, balancer, y, progress) for y in youths))
            while progress["acked"] < KILL_AT * total:
                await asyncio.sleep(0.01)
            b.kill()
            balancer.servers = [a]  # the load balancer's health check drops B
            await senders

            deadline = time.monotonic() + DRAIN_SECONDS
            while time.monotonic() < deadline and any(
                len(_collapse(telegram.sent_texts(y.user))[0]) < len(SCRIPT) for y in youths
            ):
                await asyncio.sleep(1.0)
            await asyncio.sleep(1.0)  # a duplicate would arrive now
            assert a.stop() == 0

        telegram.check()
        uncertain = a.uncertain_resends() + b.uncertain_resends()
        repeats, reference = 0, None
        for youth in youths:
            collapsed, dropped = _collapse(telegram.sent_texts(youth.user))
            repeats += dropped
            assert len(collapsed) == len(SCRIPT), (youth.user, collapsed)
            reference = reference or collapsed
            assert collapsed == reference, youth.user  # every reply, in order
        assert repeats <= uncertain, (repeats, uncertain)

        stored = await _database(url)
        sent_events = total + len(first.bodies)
        assert stored["events"] == sent_events  # every event saved once...
        assert stored["inbox"] == {"done": sent_events}  # ...and processed once
        assert stored["outbox"] == {"sent": sum(stored["outbox"].values())}
        assert set(stored["tickets"].values()) == {1}  # one ticket per youth
        assert len(stored["tickets"]) == len(youths) + 1
        await drop_database(url)


async def _conversation_of(url: str, youth: Youth) -> str:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    try:
        db = client.get_default_database()
        found = await db.conversations.find_one({"channel": "telegram", "user_id": youth.user})
        assert found is not None
        return str(found["_id"])
    finally:
        await client.close()


async def _ticket_of(url: str, telegram: FakeTelegram, youth: Youth) -> str:
    """The youth's ticket, once the summary's answer opened it."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    try:
        db = client.get_default_database()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = await db.conversations.find_one({"user_id": youth.user})
            if found is not None and found.get("ticket_id"):
                return str(found["ticket_id"])
            await asyncio.sleep(0.1)
        raise AssertionError(f"no ticket for the first youth: {telegram.sent_texts(youth.user)}")
    finally:
        await client.close()
