"""Away requeue: the tickets of a counsellor who is away go back to the queue after a while.

Away means marked absent on the dashboard, or no live session (signed out, or idle past the
session's limit). The instant a holder was first seen away is kept in the store, so the delay
(MILOMOUV_AWAY_REQUEUE_MINUTES) survives a restart; coming back clears it, unless the absence
was marked by hand. Each ticket put back gets a note in its thread and an audit line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from bot.store.base import Conflict, Store, ThreadEntry, UnitOfWork
from handoff.auth import SESSION_IDLE_SECONDS

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps

log = structlog.get_logger(__name__)

ACTOR = "system:away"
NOTE_RETRIES = 3


class AwayRequeue:
    """One pass over held tickets: who is away, since when, and whose tickets go back."""

    def __init__(self, deps: HandoffDeps, store: Store) -> None:
        self.deps = deps
        self.store = store

    async def away_since(self, now: float) -> dict[int, float]:
        """Holders who are away, with since when; records of those back are cleared."""
        held = await self.store.queued("assigned", limit=10_000)
        holders = {q.ticket.assigned_to for q in held if q.ticket.assigned_to is not None}
        live = await self.store.live_staff(now - SESSION_IDLE_SECONDS)
        records = await self.store.away_records()
        for staff_id, seen in records.items():
            if not seen.absent and (staff_id in live or staff_id not in holders):
                await self.store.clear_away(staff_id)
        away = {}
        for staff_id in holders:
            record = records.get(staff_id)
            if record is not None and record.absent and record.since is not None:
                away[staff_id] = record.since
            elif staff_id not in live:
                away[staff_id] = await self.store.mark_away(staff_id, now)
        return away

    async def check(self, now: float | None = None) -> list[str]:
        """Put back the tickets of holders away long enough; returns their ids."""
        now = self.deps.clock() if now is None else now
        limit = self.deps.settings.away_requeue_minutes * 60
        away = {
            s: since for s, since in (await self.away_since(now)).items() if now - since >= limit
        }
        if not away:
            return []
        moved = []
        for queued in await self.store.queued("assigned", limit=10_000):
            t = queued.ticket
            if t.assigned_to not in away:
                continue
            if not await self.store.requeue(t.id, t.territory, now, holder=t.assigned_to):
                continue  # the holder acted meanwhile
            moved.append(t.id)
            await self._note(t.id, t.assigned_to, now - away[t.assigned_to], now)
        return moved

    async def _note(self, ticket_id: str, staff_id: int, seconds: float, now: float) -> None:
        t = self.deps.texts
        holder = await self.store.get_staff(staff_id)
        minutes = int(seconds // 60)
        note = t(
            "watch.requeued_note",
            holder=holder.display_name if holder else t("watch.someone"),
            waiting=t("staff_notice.minutes", minutes=minutes)
            if minutes < 60
            else t("staff_notice.hours", hours=minutes // 60, minutes=minutes % 60),
        )
        ticket = await self.store.get_ticket(ticket_id)
        for _ in range(NOTE_RETRIES):
            conversation = (
                await self.store.get_conversation(ticket.conversation_id) if ticket else None
            )
            if conversation is None:
                break
            line = ThreadEntry("out", "system", note)
            try:
                await self.store.commit(UnitOfWork(conversation=conversation, thread=[line]), now)
                break
            except Conflict:
                continue  # the youth wrote just now: write the note after their line
        await self.store.audit(
            ACTOR, "ticket_requeued_away", f"ticket:{ticket_id}", {"staff_id": staff_id}, now
        )
        log.info("ticket_requeued_away", ticket=ticket_id, staff=staff_id)
        self.deps.live.publish("ticket_transferred", ticket_id=ticket_id, by_staff_id=None)
        self.deps.live.publish(
            "message",
            conversation_id=ticket.conversation_id if ticket else None,
            ticket_id=ticket_id,
            message_ids=[],
        )
