"""Delivers the outbox: oldest first within a conversation, retries with back-off."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import structlog

from bot.channels.base import Channel
from bot.errors import SendError
from bot.events import OutboxItem
from bot.headroom import Headroom
from bot.live import LiveHub
from bot.metrics import Metrics
from bot.store.base import Store, StoreUnavailable

log = structlog.get_logger(__name__)

IDLE_POLL_SECONDS = 5.0
# How long a claimed reply stays ours; past it, another instance may send it again.
SEND_LEASE_SECONDS = 120.0
MAX_BACKOFF_SECONDS = 300.0


def backoff(attempts: int, retry_after: float | None = None) -> float:
    """Seconds before the next try: the platform's own delay, else exponential with jitter."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), MAX_BACKOFF_SECONDS)
    base = min(0.5 * (2**attempts), MAX_BACKOFF_SECONDS)
    return base * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security


class Sender:
    """Sends the head of each conversation's outbox; a later reply waits for the earlier one."""

    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        live: LiveHub,
        *,
        max_attempts: int = 12,
        max_concurrent: int = 64,
        clock: Callable[[], float] = time.time,
        metrics: Metrics | None = None,
        owner: str = "sender",
        headroom: Headroom | None = None,
    ) -> None:
        self.store = store
        self.headroom = headroom or Headroom()
        self.owner = owner
        self.channels = channels
        self.live = live
        self.max_attempts = max_attempts
        self.clock = clock
        self.metrics = metrics or Metrics()
        self._slots = asyncio.Semaphore(max_concurrent)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._inflight: dict[str, asyncio.Task[None]] = {}
        self._closing = False
        self.sent = 0
        self.retried = 0
        self.failed = 0
        self._recovered_at = 0.0

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        await self._recover()
        self._task = asyncio.create_task(self._run(), name="sender")

    async def stop(self, timeout: float = 10.0) -> None:
        """Finish the deliveries in flight, then stop; what is left stays pending for next time."""
        self._closing = True
        self._wake.set()
        tasks = [t for t in (self._task, *self._inflight.values()) if t is not None]
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:  # cancelled mid-send: left 'sending', sent again at next start
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _run(self) -> None:
        while not self._closing:
            self._wake.clear()  # a wake during this pass is kept for the sleep after it
            try:
                if self.clock() - self._recovered_at >= SEND_LEASE_SECONDS:
                    await self._recover()
                started = await self.run_once()
            except StoreUnavailable:
                log.warning("store_unavailable", during="send")
                await self._sleep(1.0)
                continue
            if not started:
                await self._sleep(await self._idle_delay())

    async def _recover(self) -> None:
        """Take back replies whose sender's lease expired (it died mid-send)."""
        self._recovered_at = self.clock()
        uncertain = await self.store.outbox_recover(self._recovered_at)
        if uncertain:
            # In flight when their sender died: the platform may or may not have them. Sending
            # again favours "never lost" over "never twice" (the platforms offer no idempotency).
            log.warning("resending_uncertain", outbox_ids=uncertain)

    async def _idle_delay(self) -> float:
        due = await self.store.outbox_next_due()
        if due is None:
            return IDLE_POLL_SECONDS
        return min(max(due - self.clock(), 0.0), IDLE_POLL_SECONDS)

    async def _sleep(self, seconds: float) -> None:
        if self._closing:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def run_once(self) -> bool:
        """Start delivering every due head; True when at least one was started.

        Each conversation's delivery runs on its own: a slow platform call holds back only the
        conversation it belongs to, never the others.
        """
        heads = [
            item
            for item in await self.store.outbox_heads(self.clock())
            if item.conversation_id not in self._inflight
        ]
        if not heads:
            return False
        owned = set(
            await self.store.outbox_claim(
                [item.id for item in heads], self.owner, self.clock() + SEND_LEASE_SECONDS
            )
        )
        heads = [item for item in heads if item.id in owned]  # the rest: another instance's
        if not heads:
            return False
        for item in heads:
            task = asyncio.create_task(self._deliver(item), name=f"send:{item.id}")
            self._inflight[item.conversation_id] = task
            task.add_done_callback(functools.partial(self._landed_task, item.conversation_id))
        return True

    def _landed_task(self, conversation_id: str, _: asyncio.Task[Any]) -> None:
        self._landed(conversation_id)

    def _landed(self, conversation_id: str) -> None:
        self._inflight.pop(conversation_id, None)
        self._wake.set()  # its next reply may be due now

    async def _deliver(self, item: OutboxItem) -> None:
        async with self._slots:
            await self.headroom.wait()  # acknowledgements first
            channel = self.channels.get(item.channel)
            try:
                if channel is None:
                    raise SendError("channel_not_mounted")
                if item.reply.media_id:
                    await self._send_media(channel, item, item.reply.media_id)
                else:
                    await channel.send(item)
            except SendError as exc:
                failure = exc
                await self._until_saved(lambda: self._failed_attempt(item, failure))
                return
            except Exception as exc:  # network errors, timeouts: retry
                log.warning(
                    "send_error", outbox=item.id, channel=item.channel, error=type(exc).__name__
                )
                error = SendError(type(exc).__name__)
                await self._until_saved(lambda: self._failed_attempt(item, error))
                return
            await self._until_saved(lambda: self.store.outbox_sent(item.id, self.clock()))
            self.sent += 1
            self.metrics.messages_out.labels(item.channel, item.reply.author).inc()
            self.live.publish("delivered", conversation_id=item.conversation_id, outbox_id=item.id)

    async def _send_media(self, channel: Channel, item: OutboxItem, media_id: str) -> None:
        """A reply carrying a stored file: its bytes read now, so none wait in memory."""
        media = await self.store.get_media(media_id)
        content = await self.store.media_content(media_id) if media is not None else None
        if media is None or content is None:
            raise SendError("media_gone", permanent=True)  # erased meanwhile
        await channel.send_media(item, media, content)

    async def _until_saved(self, write: Callable[[], Awaitable[None]]) -> None:
        """Record an outcome; while the store is away, keep trying (the send itself is done)."""
        while True:
            try:
                await write()
                return
            except StoreUnavailable:
                if self._closing:
                    return  # left 'sending': sent again once its lease expires
                log.warning("store_unavailable", during="send_result")
                await asyncio.sleep(1.0)

    async def _failed_attempt(self, item: OutboxItem, exc: SendError) -> None:
        attempts = item.attempts + 1
        if exc.permanent or attempts >= self.max_attempts:
            self.failed += 1
            self.metrics.send_failures.labels(item.channel, exc.code).inc()
            log.warning("send_failed", outbox=item.id, channel=item.channel, code=exc.code)
            await self.store.outbox_failed(item.id, exc.code, self.clock())
            self.live.publish(
                "delivery_failed",
                conversation_id=item.conversation_id,
                outbox_id=item.id,
                code=exc.code,
            )
            return
        self.retried += 1
        self.metrics.send_retries.labels(item.channel, exc.code).inc()
        delay = backoff(item.attempts, exc.retry_after)
        log.info("send_retry", outbox=item.id, channel=item.channel, code=exc.code, delay=delay)
        await self.store.outbox_retry(item.id, self.clock() + delay, exc.code)
