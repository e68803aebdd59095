"""The stalled-intake reminder through the real app: web chat, store, sender, a moved clock."""

from __future__ import annotations

import asyncio
import datetime
import zoneinfo
from typing import Any

from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.events import InboundEvent
from bot.flows.nudge import STALLABLE_STATES
from bot.reminders import Reminders
from bot.store.base import UnitOfWork
from bot.store.sqlite import SQLiteStore
from tests.support.chat import ChatClient, texts
from tests.support.resources import of as resources_of

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TUESDAY_10H = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS).timestamp()
HOUR = 3600.0
NUDGE = "On s'est arrêtés en chemin"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def _start(aiohttp_client: Any, make_settings: Any) -> tuple[TestClient, Clock]:
    clock = Clock(TUESDAY_10H)
    return await aiohttp_client(create_app(make_settings(), clock=clock)), clock


async def _until_age(chat: ChatClient) -> None:
    await chat.say("salut")
    await chat.tap("START")
    await chat.say("Lina")


async def test_a_stalled_youth_gets_one_reminder_in_the_afternoon(
    aiohttp_client: Any, make_settings: Any
) -> None:
    client, clock = await _start(aiohttp_client, make_settings)
    runtime = resources_of(client.app)
    async with ChatClient.connect(client) as chat:
        await _until_age(chat)
        clock.now += 1 * HOUR  # not stalled yet
        assert await runtime.reminders.run_if_leader() == 0
        clock.now += 3 * HOUR  # 14:00: stalled, in the day
        assert await runtime.reminders.run_if_leader() == 1
        got = texts(await chat._frames())
        assert NUDGE in got and "Lina" in got
        clock.now += 1 * HOUR
        assert await runtime.reminders.run_if_leader() == 0  # never twice
        # Another instance (or this one restarted) finds it recorded in the store.
        other = Reminders(runtime.store, runtime.flow, clock=clock, owner="other")
        assert await other.run_once() == 0
        conv = await runtime.store.find_conversation("web", chat.user_id)
        assert conv is not None and conv.scratch["nudged_at"] == TUESDAY_10H + 4 * HOUR
        assert "nudged_at" not in conv.profile and conv.state == "ask_age"
        # The youth picks up where the intake stopped.
        assert "commune" in texts(await chat.say("19"))


async def test_two_instances_at_once_send_it_once(aiohttp_client: Any, make_settings: Any) -> None:
    client, clock = await _start(aiohttp_client, make_settings)
    runtime = resources_of(client.app)
    async with ChatClient.connect(client) as chat:
        await _until_age(chat)
        clock.now += 4 * HOUR
        one = Reminders(runtime.store, runtime.flow, clock=clock, owner="one")
        two = Reminders(runtime.store, runtime.flow, clock=clock, owner="two")
        # Both read the conversation before either commits: the conditional update decides.
        sent = await asyncio.gather(one.run_once(), two.run_once())
        assert sorted(sent) == [0, 1]
        assert texts(await chat._frames()).count(NUDGE) == 1
        # The named lease lets only one of them run its pass.
        assert await one.run_if_leader() == 0
        assert await two.run_if_leader() is None


async def test_no_reminder_at_night_after_stop_or_with_a_person(
    aiohttp_client: Any, make_settings: Any
) -> None:
    client, clock = await _start(aiohttp_client, make_settings)
    runtime = resources_of(client.app)
    async with ChatClient.connect(client) as night:
        await _until_age(night)
    clock.now += 12 * HOUR  # 22:00
    assert await runtime.reminders.run_once() == 0
    clock.now -= 12 * HOUR
    async with ChatClient.connect(client) as stopped:
        await _until_age(stopped)
        await stopped.say("stop")
    async with ChatClient.connect(client) as handed:
        await _until_age(handed)
        await handed.say("je veux parler à un conseiller")
    clock.now += 4 * HOUR
    assert await runtime.reminders.run_once() == 1  # the night one, now in the afternoon
    for user in (stopped.user_id, handed.user_id):
        conv = await runtime.store.find_conversation("web", user)
        assert conv is not None and "nudged_at" not in conv.scratch
        assert conv.mode in ("paused", "waiting")


async def test_meta_channels_only_inside_their_window(deps: Any, tmp_path: Any) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        for channel in ("messenger", "telegram"):
            saved = await store.ingest(InboundEvent(channel, "u1", f"{channel}-1", "text"), 1.0)
            assert saved is not None
            conv = await store.get_conversation(saved[0])
            assert conv is not None
            conv.state, conv.consent_at, conv.last_inbound_at = "ask_commune", 1.0, TUESDAY_10H
            await store.commit(UnitOfWork(conversation=conv, inbox_id=saved[1]), TUESDAY_10H)
        # Wednesday 9:30: Messenger's 24-hour window closes within the hour, Telegram has none.
        late = Reminders(store, deps, clock=lambda: TUESDAY_10H + 23.5 * HOUR)
        assert await late.run_once() == 1
        left = [c.channel for c in await store.stalled_conversations(STALLABLE_STATES, 2e9)]
        assert left == ["messenger"]  # the one that was not reminded
    finally:
        await store.close()
