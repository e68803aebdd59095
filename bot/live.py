"""Live events (new ticket, new message, claimed, closed) for every dashboard tab.

Within one process the hub fans events out to its subscribers. With several instances a
relay, given by the store, carries each event to the other instances too: the embedded
store has none (it refuses a second process), the MongoDB store relays through the database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

log = structlog.get_logger(__name__)

QUEUE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class LiveEvent:
    kind: str  # ticket_opened, ticket_updated, message, ...
    data: dict[str, Any] = field(default_factory=dict)


class LiveRelay(Protocol):
    """Carries live events between instances; `mode` says how, for the start-up log."""

    mode: str

    async def start(self, deliver: Callable[[LiveEvent], None]) -> None:
        """Begin receiving other instances' events, handed to `deliver`."""

    def send(self, event: LiveEvent) -> None:
        """Pass on an event published here (never blocks; dropped events are logged)."""

    async def stop(self) -> None: ...


class LiveHub:
    """Fan-out to every subscriber; a subscriber too slow to keep up loses old events, not the hub."""

    def __init__(self, relay: LiveRelay | None = None) -> None:
        self._subscribers: set[asyncio.Queue[LiveEvent]] = set()
        self.relay = relay

    def publish(self, kind: str, **data: Any) -> None:
        event = LiveEvent(kind, data)
        self._deliver(event)
        if self.relay is not None:
            self.relay.send(event)

    def _deliver(self, event: LiveEvent) -> None:
        for queue in self._subscribers:
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(event)

    async def start(self) -> None:
        if self.relay is not None:
            await self.relay.start(self._deliver)
        log.info("live_events", relay=self.relay.mode if self.relay else "in-process")

    async def stop(self) -> None:
        if self.relay is not None:
            await self.relay.stop()

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[LiveEvent]]:
        queue: asyncio.Queue[LiveEvent] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)
