"""Automatic retention: unfinished intakes purged, closed tickets anonymised, hourly."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import structlog

from bot.background import as_leader, background, every
from bot.store.base import Store

log = structlog.get_logger(__name__)

DAY = 86_400.0
INTERVAL_SECONDS = 3_600.0


class Retention:
    """Applies MILOMOUV_RETENTION_UNFINISHED_DAYS and MILOMOUV_RETENTION_CLOSED_DAYS."""

    def __init__(
        self,
        store: Store,
        unfinished_days: int,
        closed_days: int,
        clock: Callable[[], float] = time.time,
        *,
        owner: str = "retention",
    ) -> None:
        self.store = store
        self.owner = owner
        self.unfinished_days = unfinished_days
        self.closed_days = closed_days
        self.clock = clock

    async def run_once(self) -> tuple[int, int]:
        """(purged unfinished conversations, anonymised closed ones)."""
        now = self.clock()
        purged = await self.store.purge_unfinished(now - self.unfinished_days * DAY, now)
        anonymised = await self.store.anonymise_closed(now - self.closed_days * DAY, now)
        if purged or anonymised:
            log.info("retention", purged_unfinished=purged, anonymised_closed=anonymised)
        return purged, anonymised

    async def run_if_leader(self) -> tuple[int, int] | None:
        """`run_once` on the one instance holding the "retention" lease; None elsewhere."""
        return await as_leader(
            self.store, "retention", self.owner, self.clock(), INTERVAL_SECONDS, self.run_once
        )

    def running(self) -> contextlib.AbstractAsyncContextManager[object]:
        loop = every(INTERVAL_SECONDS, self.run_if_leader, during="retention")
        return background(loop, "retention")
