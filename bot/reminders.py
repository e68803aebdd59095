"""The stalled-intake reminder: one gentle nudge, sent by one instance at a time, never twice."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable

import structlog

from bot.background import as_leader, background, every
from bot.events import Reply
from bot.flows.nudge import STALLABLE_STATES, NudgePolicy
from bot.flows.prompts import FlowDeps
from bot.store.base import Conflict, Conversation, Store, UnitOfWork
from bot.store.roles_nudge import NUDGED_AT

log = structlog.get_logger(__name__)

INTERVAL_SECONDS = 600.0
BATCH = 200
LEASE = "nudge"


class Reminders:
    """Finds stalled intakes, asks the policy, and commits each nudge with its record."""

    def __init__(
        self,
        store: Store,
        deps: FlowDeps,
        *,
        clock: Callable[[], float] = time.time,
        owner: str = "reminders",
        after_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.deps = deps
        self.clock = clock
        self.owner = owner
        self.after_commit = after_commit
        self.policy = NudgePolicy(tz=deps.office.tz)

    async def run_once(self) -> int:
        """Send every reminder due now; returns how many were committed."""
        now = self.clock()
        idle_before = now - self.policy.idle_seconds
        stalled = await self.store.stalled_conversations(STALLABLE_STATES, idle_before, BATCH)
        sent = 0
        for conversation in stalled:
            if self._due(conversation, now) and await self._nudge(conversation, now):
                sent += 1
        if sent:
            self.after_commit()
            log.info("reminders_sent", count=sent)
        return sent

    def _due(self, c: Conversation, now: float) -> bool:
        return self.policy.due(
            channel=c.channel,
            mode=c.mode,
            state=c.state,
            consented=c.consent_at is not None,
            last_inbound_at=c.last_inbound_at,
            already_nudged=NUDGED_AT in c.scratch,
            now=now,
        )

    async def _nudge(self, c: Conversation, now: float) -> bool:
        """Commit the reminder and its record together, only if nothing moved since the read."""
        name = c.profile.get("first_name")
        text = (
            self.deps.texts("nudge.stalled_named", first_name=name)
            if isinstance(name, str) and name
            else self.deps.texts("nudge.stalled")
        )
        marked = dataclasses.replace(c, scratch={**c.scratch, NUDGED_AT: now})
        try:
            await self.store.commit(UnitOfWork(conversation=marked, replies=[Reply(text)]), now)
        except Conflict:
            # The youth wrote meanwhile, or another instance nudged first: nothing to send.
            log.info("reminder_skipped", conversation=c.id)
            return False
        return True

    async def run_if_leader(self) -> int | None:
        """`run_once` on the one instance holding the "nudge" lease; None elsewhere."""
        return await as_leader(
            self.store, LEASE, self.owner, self.clock(), INTERVAL_SECONDS, self.run_once
        )

    def running(self) -> contextlib.AbstractAsyncContextManager[object]:
        loop = every(INTERVAL_SECONDS, self.run_if_leader, during="reminders")
        return background(loop, "reminders")
