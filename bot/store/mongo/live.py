"""Live events across instances through MongoDB: a change stream, or polling without one.

Each instance writes the events it publishes to one collection (kept an hour by a TTL
index) and reads the others'. A change stream pushes them as they commit; a server that
refuses change streams (a standalone mongod) is polled instead. The choice is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from bot.live import LiveEvent

log = structlog.get_logger(__name__)

SEND_QUEUE = 10_000
POLL_SECONDS = 0.5
# Instances' clocks and commits may disagree by this much; polling looks back that far.
POLL_OVERLAP = 5.0
RETRY_SECONDS = 1.0
WAIT_SECONDS = 0.5  # longest wait inside one read, so that a stop is quick and clean
STOP_SECONDS = 3.0
SEEN = 5000


class MongoRelay:
    """LiveRelay on a MongoDB collection; `origin` tells this instance's events apart."""

    def __init__(self, events: AsyncCollection[dict[str, Any]], *, watch: bool = True) -> None:
        self.events = events
        self.origin = secrets.token_hex(8)
        self.mode = "unstarted"
        self._watch = watch
        self._outgoing: asyncio.Queue[LiveEvent] = asyncio.Queue(SEND_QUEUE)
        self._tasks: list[asyncio.Task[None]] = []
        self._deliver: Callable[[LiveEvent], None] = lambda _: None
        self._seen: OrderedDict[Any, None] = OrderedDict()
        self._stopping = asyncio.Event()

    async def start(self, deliver: Callable[[LiveEvent], None]) -> None:
        self._deliver = deliver
        reader = self._watch_loop if await self._can_watch() else self._poll_loop
        self.mode = "change stream" if reader == self._watch_loop else "polling"
        self._tasks = [
            asyncio.create_task(self._write_loop(), name="live-relay-writer"),
            asyncio.create_task(reader(), name="live-relay-reader"),
        ]

    async def _can_watch(self) -> bool:
        if not self._watch:
            return False
        try:
            async with await self.events.watch(max_await_time_ms=100):
                return True
        except PyMongoError as exc:
            log.info("live_change_stream_refused", error=type(exc).__name__)
            return False

    def send(self, event: LiveEvent) -> None:
        try:
            self._outgoing.put_nowait(event)
        except asyncio.QueueFull:
            log.warning("live_event_dropped", kind=event.kind)

    async def stop(self) -> None:
        # The reader ends between two waits, closing its cursor; cancelling it in the
        # middle of a getMore would leave the driver's socket behind.
        self._stopping.set()
        _, late = await asyncio.wait(self._tasks, timeout=STOP_SECONDS) if self._tasks else ((), ())
        for task in late:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    # --- writing ---------------------------------------------------------------------
    async def _write_loop(self) -> None:
        while not (self._stopping.is_set() and self._outgoing.empty()):
            try:
                batch = [await asyncio.wait_for(self._outgoing.get(), WAIT_SECONDS)]
            except TimeoutError:
                continue
            while not self._outgoing.empty() and len(batch) < 100:
                batch.append(self._outgoing.get_nowait())
            now = time.time()
            docs = [
                {
                    "origin": self.origin,
                    "kind": e.kind,
                    "data": e.data,
                    "at": now,
                    "at_date": datetime.fromtimestamp(now, UTC),
                }
                for e in batch
            ]
            try:
                await self.events.insert_many(docs, ordered=True)
            except PyMongoError as exc:
                # Live events are a convenience: a dashboard reloads what it missed.
                log.warning("live_events_not_relayed", count=len(docs), error=type(exc).__name__)
                await self._pause(RETRY_SECONDS)

    # --- reading ---------------------------------------------------------------------
    def _receive(self, doc: dict[str, Any]) -> None:
        key = str(doc.get("_id"))
        if doc.get("origin") == self.origin or key in self._seen:
            return
        self._seen[key] = None
        if len(self._seen) > SEEN:
            self._seen.popitem(last=False)
        self._deliver(LiveEvent(str(doc.get("kind")), dict(doc.get("data") or {})))

    async def _watch_loop(self) -> None:
        resume: Any = None
        while not self._stopping.is_set():
            try:
                async with await self.events.watch(
                    resume_after=resume, max_await_time_ms=int(WAIT_SECONDS * 1000)
                ) as stream:
                    while not self._stopping.is_set():
                        change = await stream.try_next()
                        resume = stream.resume_token or resume
                        if change is not None and change.get("operationType") == "insert":
                            self._receive(change["fullDocument"])
            except PyMongoError as exc:
                log.warning("live_change_stream_lost", error=type(exc).__name__)
                await self._pause(RETRY_SECONDS)

    async def _poll_loop(self) -> None:
        since = time.time()
        while not self._stopping.is_set():
            try:
                cursor = self.events.find(
                    {"at": {"$gte": since - POLL_OVERLAP}, "origin": {"$ne": self.origin}}
                ).sort("at", 1)
                async for doc in cursor:
                    self._receive(doc)
                    since = max(since, doc["at"])
            except PyMongoError as exc:
                log.warning("live_poll_failed", error=type(exc).__name__)
            await self._pause(POLL_SECONDS)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
