"""Concurrent webhooks: each event saved once, each youth one conversation; every backend."""

from __future__ import annotations

import asyncio

from bot.store.base import Store
from tests.support.store import event


async def test_concurrent_ingests_save_each_event_once(store: Store) -> None:
    # 60 events from 6 youths, every one delivered twice at the same moment (a platform retry).
    events = [event(n, user=f"u{n % 6}") for n in range(60)]
    results = await asyncio.gather(*(store.ingest(e, 1.0) for e in events + events))
    saved = [r for r in results if r is not None]
    assert len(saved) == 60
    assert len({inbox_id for _, inbox_id in saved}) == 60
    by_user: dict[str, set[str]] = {}
    for e, r in zip(events + events, results, strict=True):
        if r is not None:
            by_user.setdefault(e.user_id, set()).add(r[0])
    assert sorted(by_user) == [f"u{i}" for i in range(6)]
    assert all(len(ids) == 1 for ids in by_user.values())
    assert sorted(await store.pending_conversations()) == sorted(
        next(iter(ids)) for ids in by_user.values()
    )


async def test_each_youth_saved_concurrently_is_found_again(store: Store) -> None:
    saved = await asyncio.gather(*(store.ingest(event(n, user=f"v{n}"), 1.0) for n in range(30)))
    for n, s in enumerate(saved):
        assert s is not None
        found = await store.find_conversation("web", f"v{n}")
        assert found is not None and found.id == s[0]
