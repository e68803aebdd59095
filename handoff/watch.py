"""Nobody waits unseen: a held ticket left unanswered alerts its holder, then the coordinators.

The wait is counted in office hours from the youth's first unanswered line (never before the
claim). After MILOMOUV_UNANSWERED_ALERT_MINUTES the holder is told, after a further
MILOMOUV_UNANSWERED_ESCALATE_MINUTES the coordinators are, each once per wait: the step is
recorded in the store before anyone is told, so a restart or a second instance never repeats
it. One instance at a time runs this loop, under the "watch" lease; the same loop puts back in
the queue the tickets of counsellors who are away (handoff/away.py).
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog

from bot.background import background
from bot.store.base import Staff, Store, StoreUnavailable
from bot.store.roles_watch import Unanswered
from handoff.away import AwayRequeue

if TYPE_CHECKING:
    from handoff.alerts import Alerts
    from handoff.deps import HandoffDeps
    from handoff.push import Pusher

log = structlog.get_logger(__name__)

CHECK_SECONDS = 30.0
LEASE = "watch"
HOLDER, COORDINATOR = "holder", "coordinator"


@dataclass(frozen=True, slots=True)
class Due:
    """An unanswered wait and the alert steps it has reached."""

    wait: Unanswered
    waited: float  # office-hour seconds
    steps: tuple[str, ...]


class Watch:
    """The leased loop: unanswered held tickets, then away holders."""

    def __init__(
        self,
        deps: HandoffDeps,
        store: Store,
        alerts: Alerts,
        pusher: Pusher | None = None,
        *,
        interval: float = CHECK_SECONDS,
    ) -> None:
        self.deps = deps
        self.store = store
        self.alerts = alerts
        self.pusher = pusher
        self.interval = interval
        self.away = AwayRequeue(deps, store)
        self.leading = False

    def _waited(self, since: float, now: float) -> float:
        office = self.deps.flow.office
        start = datetime.datetime.fromtimestamp(since, office.tz)
        end = datetime.datetime.fromtimestamp(max(now, since), office.tz)
        return office.business_seconds_between(start, end)

    async def due(self, now: float) -> list[Due]:
        """Every unanswered wait past its first step, with the steps reached."""
        s = self.deps.settings
        first = s.unanswered_alert_minutes * 60
        second = first + s.unanswered_escalate_minutes * 60
        found = []
        for wait in await self.store.unanswered_claims():
            waited = self._waited(wait.since, now)
            if waited >= first:
                steps = (HOLDER, COORDINATOR) if waited >= second else (HOLDER,)
                found.append(Due(wait, waited, steps))
        return found

    async def check(self, now: float | None = None) -> list[tuple[str, str]]:
        """Take every step newly due; returns (ticket id, step) of those taken."""
        now = self.deps.clock() if now is None else now
        taken = []
        for due in await self.due(now):
            for step in due.steps:
                if await self.store.mark_watch(due.wait.ticket.id, step, due.wait.since, now):
                    taken.append((due.wait.ticket.id, step))
                    await self._tell(due, step)
        return taken

    async def _tell(self, due: Due, step: str) -> None:
        t, ticket = self.deps.texts, due.wait.ticket
        holder = await self.store.get_staff(ticket.assigned_to or 0)
        holder_name = holder.display_name if holder else t("watch.someone")
        first_name = ticket.snapshot.get("first_name") or t("staff_notice.no_name")
        waiting = self.alerts.duration(due.waited)
        log.info("ticket_unanswered_alert", ticket=ticket.id, step=step)
        self.deps.live.publish(
            "ticket_alert",
            ticket_id=ticket.id,
            unanswered=step,
            staff_id=ticket.assigned_to,
            priority=ticket.priority,
        )
        if self.alerts.notifier is not None:
            notice = t(
                f"watch.staff_notice_{step}",
                territory=ticket.territory or t("staff_notice.no_territory"),
                first_name=first_name,
                holder=holder_name,
                waiting=waiting,
                url=self.ticket_url(ticket.id),
            )
            await self.alerts.notifier.notify_staff(notice)
        if self.pusher is not None:
            targets = [ticket.assigned_to] if step == HOLDER and ticket.assigned_to else []
            if step == COORDINATOR:
                targets = [s.id for s in await self.coordinators()]
            body = t(
                f"watch.alert_{step}", first_name=first_name, holder=holder_name, waiting=waiting
            )
            self.pusher.notify(targets, t("push.unanswered"), body, self.ticket_url(ticket.id))

    async def coordinators(self) -> list[Staff]:
        return [s for s in await self.store.list_staff() if s.active and s.is_coordinator]

    def ticket_url(self, ticket_id: str) -> str:
        return f"{self.deps.settings.public_url.rstrip('/')}/handoff/tickets/{ticket_id}"

    async def lead(self) -> bool:
        """Take or renew the "watch" lease; only its holder alerts, requeues and pushes."""
        now = self.deps.clock()
        until = now + 3 * self.interval
        self.leading = await self.store.try_lease(LEASE, self.deps.instance, until, now)
        return self.leading

    async def run(self) -> None:
        while True:
            try:
                if await self.lead():
                    await self.check()
                    await self.away.check()
            except StoreUnavailable:
                log.warning("store_unavailable", during="watch")
            except Exception as exc:  # a bug must not silence the watch: log by type, go on
                log.error("watch_failed", error=type(exc).__name__)
            await asyncio.sleep(self.interval)

    async def lifecycle(self, app: object) -> AsyncIterator[None]:
        """Cleanup context: start pushes and the loop after the deps, stop them first."""
        if self.pusher is not None:
            await self.pusher.start()
        try:
            async with background(self.run(), "handoff:watch"):
                yield
        finally:
            if self.pusher is not None:
                await self.pusher.stop()
