"""Group commit: concurrent callers wait together for one transaction holding all their writes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# A batch bounded so one transaction stays short (the next batch gathers meanwhile).
MAX_BATCH = 256


class GroupCommit(Generic[Item, Result]):
    """Queues items; one task at a time writes every waiting item in one transaction.

    Each caller's future resolves only after the COMMIT that holds its item, so nothing is
    reported saved unsaved; while one transaction runs, the next batch gathers.
    """

    def __init__(self, write: Callable[[list[Item]], Awaitable[list[Result]]]) -> None:
        self._write = write
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, item: Item) -> Result:
        return (await self.add_many([item]))[0]

    async def add_many(self, items: list[Item]) -> list[Result]:
        """Several items queued side by side, so they usually share one transaction."""
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[Result]] = [loop.create_future() for _ in items]
        self._waiting.extend(zip(items, futures, strict=True))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        # Shielded: a caller that gives up does not cancel the batch its items are in.
        return list(await asyncio.shield(asyncio.gather(*futures)))

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                saved = await self._write([item for item, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            except BaseException:
                self._cancel_waiting(batch)
                raise
            for (_, future), result in zip(batch, saved, strict=True):
                if not future.done():
                    future.set_result(result)

    def _cancel_waiting(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        """The writer was cancelled (the store closing): no one waits for it forever."""
        waiting, self._waiting = batch + self._waiting, []
        for _, future in waiting:
            future.cancel()
