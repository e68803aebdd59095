"""The running catalogue: the file plus the store's latest versions, refreshed in place.

Every part of the service holds the one `Texts` object loaded at start (the flows through
`FlowDeps`, the pages, the channels), so a refresh swaps its entries rather than the object.
A save refreshes this instance at once and publishes a live event; the other instances
refresh on that event (relayed by the store) or, should one be lost, at the next recheck of
the store's version count.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog

from bot.live import LiveHub
from bot.store.errors import StoreUnavailable
from bot.store.roles_texts import TextStore
from bot.texts import Texts
from handoff import texts_rules

log = structlog.get_logger(__name__)

EVENT = "texts_changed"
RECHECK_SECONDS = 30.0


class LiveTexts:
    """Keeps `texts` equal to the file's entries with the store's overrides applied."""

    def __init__(self, store: TextStore, hub: LiveHub, recheck: float = RECHECK_SECONDS) -> None:
        self.texts = self.defaults = Texts({})
        self.store = store
        self.hub = hub
        self.recheck = recheck
        self.stamp = -1
        self.overrides: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def refresh(self) -> bool:
        """Apply what the store holds now; False when nothing changed since the last time."""
        async with self._lock:
            stamp = await self.store.texts_stamp()
            if stamp == self.stamp:
                return False
            saved = await self.store.text_overrides()
            applied: dict[str, str] = {}
            for key in sorted(saved):
                # An edit made for an older file (a placeholder since renamed) is skipped,
                # so the catalogue always passes the start-up checks.
                if texts_rules.problems(key, saved[key], self.defaults, applied):
                    log.warning("text_override_skipped", key=key)
                    continue
                applied[key] = saved[key]
            self.texts.adopt(self.defaults.with_overrides(applied))
            self.overrides, self.stamp = applied, stamp
            log.info("texts_refreshed", overrides=len(applied), versions=stamp)
            return True

    def announce(self, key: str) -> None:
        """Tell the other instances (and this one's dashboards) that `key` changed."""
        self.hub.publish(EVENT, key=key)

    def bind(self, texts: Texts) -> None:
        """Follow `texts`, the catalogue loaded from the file at start."""
        self.texts = texts
        self.defaults = Texts({k: texts.raw(k) for k in texts.keys()})  # the file, kept apart
        self.stamp = -1

    @contextlib.asynccontextmanager
    async def running(self, texts: Texts) -> AsyncIterator[None]:
        """Apply the saved versions before serving, then follow changes until the end."""
        self.bind(texts)
        await self.refresh()
        stopping = asyncio.Event()
        task = asyncio.create_task(self._follow(stopping), name="live-texts")
        try:
            yield
        finally:
            # The flag, not only the cancel: on Python 3.11 a cancel that lands as an event
            # arrives can be swallowed by the wait, and the loop would go on.
            stopping.set()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _follow(self, stopping: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        async with self.hub.subscribe() as queue:
            due = loop.time() + self.recheck
            while not stopping.is_set():
                try:
                    async with asyncio.timeout(max(0.0, due - loop.time())):
                        event = await queue.get()
                    if event.kind != EVENT:
                        continue
                except TimeoutError:
                    due = loop.time() + self.recheck
                try:
                    await self.refresh()
                except StoreUnavailable:
                    log.warning("texts_refresh_failed", reason="store_unavailable")
                except Exception as exc:  # keep following: the next change may apply cleanly
                    log.error("texts_refresh_failed", reason=type(exc).__name__)
