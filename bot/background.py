"""Background work: a task that lives as long as a context, and a loop run by one instance."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import structlog

from bot.store.base import Store, StoreUnavailable

log = structlog.get_logger(__name__)

T = TypeVar("T")


@contextlib.asynccontextmanager
async def background(work: Coroutine[Any, Any, Any], name: str) -> AsyncIterator[asyncio.Task[Any]]:
    """Run `work` as a task for the block's life; cancel it and wait for its end on leaving."""
    task = asyncio.create_task(work, name=name)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def as_leader(
    store: Store,
    lease: str,
    owner: str,
    now: float,
    interval: float,
    run: Callable[[], Awaitable[T]],
) -> T | None:
    """`run()` on the one instance holding `lease`; None elsewhere.

    The lease outlives a pass (two intervals) and is renewed by the next one, so a single
    instance runs the job at a time and another takes over when it stops.
    """
    if not await store.try_lease(lease, owner, now + 2 * interval, now):
        return None
    return await run()


async def every(interval: float, step: Callable[[], Awaitable[object]], *, during: str) -> None:
    """Call `step` every `interval` seconds for ever; a store outage is logged and waited out."""
    while True:
        try:
            await step()
        except StoreUnavailable:
            log.warning("store_unavailable", during=during)
        await asyncio.sleep(interval)
