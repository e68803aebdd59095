"""In-process publish/subscribe of live events (new ticket, new message, claimed, closed)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

QUEUE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class LiveEvent:
    kind: str  # ticket_opened, ticket_updated, message, ...
    data: dict[str, Any] = field(default_factory=dict)


class LiveHub:
    """Fan-out to every subscriber; a subscriber too slow to keep up loses old events, not the hub."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[LiveEvent]] = set()

    def publish(self, kind: str, **data: Any) -> None:
        event = LiveEvent(kind, data)
        for queue in self._subscribers:
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(event)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[LiveEvent]]:
        queue: asyncio.Queue[LiveEvent] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)
