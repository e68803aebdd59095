"""Runs pending inbox events: strictly in order within a conversation, concurrently across them."""

from __future__ import annotations

import asyncio
import contextlib
import traceback

import structlog

from bot.engine import Engine
from bot.headroom import Headroom
from bot.metrics import Metrics
from bot.store.base import InboxRow, Store, StoreUnavailable
from bot.store.roles_state import State

log = structlog.get_logger(__name__)

SWEEP_SECONDS = 5.0
# A worker's hold on its conversation, renewed before each event it handles.
LEASE_SECONDS = 60.0
STORE_RETRY_SECONDS = 1.0


class Dispatcher:
    """One worker task per conversation with pending events; a sweep catches anything missed."""

    def __init__(
        self,
        store: Store,
        engine: Engine,
        max_concurrent: int = 64,
        metrics: Metrics | None = None,
        *,
        owner: str = "dispatcher",
        headroom: Headroom | None = None,
    ) -> None:
        self.store = store
        self.headroom = headroom or Headroom()
        self.owner = owner
        self.metrics = metrics or Metrics()
        self.engine = engine
        self._slots = asyncio.Semaphore(max_concurrent)
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._dirty: set[str] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._closing = False
        self.processed = 0
        self.failed = 0

    def notify(self, conversation_id: str) -> None:
        """New work for a conversation: start its worker, or tell the running one to look again."""
        if self._closing:
            return
        if conversation_id in self._workers:
            self._dirty.add(conversation_id)
            return
        task = asyncio.create_task(self._work(conversation_id), name=f"dispatch:{conversation_id}")
        self._workers[conversation_id] = task

    async def _work(self, conversation_id: str) -> None:
        try:
            async with self._slots:
                last_id = None
                leased_until = 0.0
                while not self._closing:
                    self._dirty.discard(conversation_id)
                    try:
                        # Renewed once half of it is gone, not before every event: each
                        # renewal is a write transaction, on the pipeline's one writer.
                        if leased_until - self.engine.clock() < LEASE_SECONDS / 2:
                            leased_until = await self._lease(conversation_id)
                            if not leased_until:
                                break  # another instance works on it; the sweep looks later
                        await self.headroom.wait()  # acknowledgements first
                        found = await self.store.next_pending_state(conversation_id)
                        if found is None:
                            if conversation_id in self._dirty:
                                continue
                            break
                        row, state = found
                        if row.id == last_id:  # handled, yet still pending: never spin on it
                            log.error("event_stuck", conversation=conversation_id, inbox=row.id)
                            await self.store.skip_inbox(row.id, "stuck")
                            continue
                        await self._handle(row, state)
                        last_id = row.id  # not on StoreUnavailable: that row is retried
                    except StoreUnavailable:
                        log.warning("store_unavailable", conversation=conversation_id)
                        await asyncio.sleep(STORE_RETRY_SECONDS)
        finally:
            with contextlib.suppress(StoreUnavailable):
                await self.store.release_conversation(conversation_id, self.owner)
            self._workers.pop(conversation_id, None)
            if conversation_id in self._dirty and not self._closing:
                self._dirty.discard(conversation_id)
                self.notify(conversation_id)

    async def _lease(self, conversation_id: str) -> float:
        """Until when the conversation is ours, or 0.0 when another owner holds it."""
        now = self.engine.clock()
        until = now + LEASE_SECONDS
        taken = await self.store.lease_conversation(conversation_id, self.owner, until, now)
        return until if taken else 0.0

    async def _handle(self, row: InboxRow, state: State | None = None) -> None:
        try:
            await self.engine.handle(row, state)
            self.processed += 1
            self.metrics.messages_in.labels(row.event.channel).inc()
        except StoreUnavailable:
            raise
        except Exception as exc:
            # A poison event must not block its conversation forever: skip it. The log carries
            # ids and where it broke, not the exception text (it could quote the message).
            self.failed += 1
            self.metrics.errors.labels("dispatch").inc()
            log.error(
                "event_failed",
                conversation=row.conversation_id,
                inbox=row.id,
                error=type(exc).__name__,
                where=_where(exc),
            )
            await self.store.skip_inbox(row.id, "error")

    async def resume_pending(self) -> int:
        """Start workers for every conversation with unprocessed events (at start-up, by sweep)."""
        conversation_ids = await self.store.pending_conversations()
        for conversation_id in conversation_ids:
            self.notify(conversation_id)
        return len(conversation_ids)

    async def _sweep(self) -> None:
        while not self._closing:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                await self.resume_pending()
            except StoreUnavailable:
                log.warning("store_unavailable", during="sweep")

    async def start(self) -> None:
        resumed = await self.resume_pending()
        if resumed:
            log.info("resumed_pending", conversations=resumed)
        self._sweeper = asyncio.create_task(self._sweep(), name="dispatch:sweep")

    async def stop(self, timeout: float = 10.0) -> None:
        """Let in-flight events finish (each is one transaction), then stop."""
        self._closing = True
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        workers = list(self._workers.values())
        if workers:
            _, pending = await asyncio.wait(workers, timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until no conversation has a running worker (tests, graceful shutdown)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)


def _where(exc: BaseException) -> str:
    """file:line of the innermost frame of our own code."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/bot/" in f.filename or "/handoff/" in f.filename] or frames
    last = ours[-1] if ours else None
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}" if last else "?"
