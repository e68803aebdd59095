"""Two senders on one store, as two instances would be: each reply is delivered exactly once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.channels.telegram import TelegramChannel
from bot.events import InboundEvent, Reply
from bot.live import LiveHub
from bot.sender import Sender
from bot.store.base import UnitOfWork
from bot.store.sqlite import SQLiteStore
from tests.support.fake_telegram import SECRET, FakeTelegram

CHATS = [6100000000 + n for n in range(12)]


async def test_two_senders_never_deliver_the_same_reply(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    for n, chat in enumerate(CHATS):
        saved = await store.ingest(InboundEvent("telegram", str(chat), f"u{n}", "text"), 1.0)
        assert saved is not None
        conv = await store.get_conversation(saved[0])
        assert conv is not None
        await store.commit(UnitOfWork(conversation=conv, replies=[Reply("un"), Reply("deux")]), 1.0)
    async with FakeTelegram() as fake:
        channels = [
            TelegramChannel(fake.token, SECRET, fake.base_url, pace_seconds=0.0) for _ in "ab"
        ]
        senders = [
            Sender(store, {"telegram": channel}, LiveHub(), owner=f"instance-{name}")
            for name, channel in zip("ab", channels, strict=True)
        ]
        for channel in channels:
            await channel.start()
        for sender in senders:
            await sender.start()
        deadline = time.monotonic() + 20
        while await store.outbox_backlog() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        for sender in senders:
            await sender.stop()
        for channel in channels:
            await channel.stop()
        fake.check()
        assert {chat: fake.sent_texts(chat) for chat in CHATS} == {
            chat: ["un", "deux"] for chat in CHATS
        }
        assert sum(s.sent for s in senders) == 2 * len(CHATS)
    await store.close()
