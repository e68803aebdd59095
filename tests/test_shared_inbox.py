"""Two dispatchers on one store, as two instances would be: each event is handled by one of them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.dispatcher import Dispatcher
from bot.engine import Engine
from bot.events import InboundEvent
from bot.live import LiveHub
from bot.store.sqlite import SQLiteStore

USERS = [f"youth-{n}" for n in range(10)]


async def test_two_dispatchers_handle_each_event_once(tmp_path: Path, deps: Any) -> None:
    store = SQLiteStore(tmp_path)
    await store.open()
    conversations = set()
    for n, user in enumerate(USERS):
        for k, text in enumerate(("salut", "c quoi", "ok")):
            saved = await store.ingest(
                InboundEvent("web", user, f"e{n}-{k}", "text", text=text), 1.0
            )
            assert saved is not None
            conversations.add(saved[0])
    dispatchers = [
        Dispatcher(
            store,
            Engine(store, deps, LiveHub(), privacy_version="test"),
            owner=f"instance-{name}",
        )
        for name in "ab"
    ]
    for _ in range(3):  # both are told about every conversation, again and again
        for dispatcher in dispatchers:
            for conversation_id in conversations:
                dispatcher.notify(conversation_id)
        await asyncio.gather(*(d.idle() for d in dispatchers))
    assert await store.pending_conversations() == []
    assert sum(d.processed for d in dispatchers) == 3 * len(USERS)
    assert sum(d.failed for d in dispatchers) == 0
    assert await store.outbox_backlog() == 3 * len(USERS)  # one reply per event, none twice
    await store.close()
