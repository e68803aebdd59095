"""The writer's lock, where the inbox's durable write passes ahead of the other writers once."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class WriterLock:
    """An asyncio lock with two queues: `first` waiters (webhooks waiting for their
    acknowledgement) go before the others, but never twice in a row while others wait, so
    a steady stream of webhooks cannot starve the dispatcher and the sender.
    """

    def __init__(self) -> None:
        self._held = False
        self._last_first = False
        self._first: deque[asyncio.Future[None]] = deque()
        self._others: deque[asyncio.Future[None]] = deque()

    @asynccontextmanager
    async def hold(self, *, first: bool = False) -> AsyncIterator[None]:
        await self._acquire(first)
        try:
            yield
        finally:
            self._release()

    async def __aenter__(self) -> None:
        await self._acquire(False)

    async def __aexit__(self, *exc: object) -> None:
        self._release()

    async def _acquire(self, first: bool) -> None:
        if not self._held and not self._first and not self._others:
            self._held, self._last_first = True, first
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._first if first else self._others
        queue.append(future)
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release()  # handed the lock just as it was cancelled: pass it on
            else:
                queue.remove(future)
            raise
        self._last_first = first

    def _release(self) -> None:
        """Hand the lock to the next waiter (it stays held), or free it."""
        queues = (self._others, self._first) if self._last_first else (self._first, self._others)
        for queue in queues:
            while queue:
                future = queue.popleft()
                if not future.done():
                    future.set_result(None)
                    return
        self._held = False
