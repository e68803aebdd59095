"""Tickets on MongoDB: every move is one conditional update of the conversation, the aggregate."""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument

from bot.store.mongo import documents as docs
from bot.store.mongo.base import Doc, MongoBase, Session
from bot.store.mongo.schema import CONVERSATIONS, STAFF, TICKETS
from bot.store.records import QueuedTicket, Ticket, TicketStatus

_ORDER: dict[str, list[tuple[str, int]]] = {
    # "urgent" sorts after "normal": descending puts urgent tickets first.
    "waiting": [("priority", -1), ("queued_at", 1), ("seq", 1)],
    "assigned": [("claimed_at", -1), ("seq", -1)],
    "closed": [("closed_at", -1), ("seq", -1)],
}
OPEN_STATUSES = ["waiting", "assigned"]


def _guard(ticket_id: str, holder: int | None) -> Doc:
    """The conversation filter of a move: its ticket open, or held by `holder`."""
    if holder is None:
        return {"ticket_id": ticket_id, "ticket_status": {"$in": OPEN_STATUSES}}
    return {"ticket_id": ticket_id, "ticket_status": "assigned", "ticket_holder": holder}


class MongoTickets(MongoBase):
    """TicketStore on MongoDB."""

    async def get_ticket(self, ticket_id: str) -> Ticket | None:
        d = await self._col(TICKETS).find_one({"_id": ticket_id})
        return docs.ticket(d) if d else None

    async def list_tickets(self, status: TicketStatus, limit: int = 200) -> list[Ticket]:
        order = (
            [("priority", -1), ("created_at", 1), ("seq", 1)]
            if status == "waiting"
            else [("created_at", -1), ("seq", -1)]
        )
        cursor = self._col(TICKETS).find({"status": status}).sort(order).limit(limit)
        return [docs.ticket(d) async for d in cursor]

    async def queued(
        self, status: str, *, assigned_to: int | None = None, limit: int = 200
    ) -> list[QueuedTicket]:
        query: Doc = {"status": status}
        if assigned_to is not None:
            query["assigned_to"] = assigned_to
        order = _ORDER.get(status, [("seq", -1)])
        cursor = self._col(TICKETS).find(query).sort(order).limit(limit)
        return [docs.queued(d) async for d in cursor]

    async def queued_one(self, ticket_id: str) -> QueuedTicket | None:
        d = await self._col(TICKETS).find_one({"_id": ticket_id})
        return docs.queued(d) if d else None

    async def conversation_tickets(self, conversation_id: str) -> list[Ticket]:
        cursor = self._col(TICKETS).find({"conversation_id": conversation_id}).sort("seq", 1)
        return [docs.ticket(d) async for d in cursor]

    async def territories(self) -> list[str]:
        staff = await self._values(STAFF, "territory", {"active": True})
        tickets = await self._values(TICKETS, "territory", {"territory": {"$ne": None}})
        return sorted(t for t in staff | tickets if t is not None)

    async def _move(self, guard: Doc, conversation: Doc, ticket: Any, now: float) -> bool:
        """One move: the conditional update of the conversation decides, the ticket follows."""

        async def work(s: Session) -> bool:
            moved = await self._col(CONVERSATIONS).find_one_and_update(
                guard,
                {"$set": {**conversation, "updated_at": now}, "$inc": {"version": 1}},
                return_document=ReturnDocument.BEFORE,
                session=s,
            )
            if moved is None:
                return False
            current = await self._col(TICKETS).find_one({"_id": guard["ticket_id"]}, session=s)
            update = ticket(current or {}) if callable(ticket) else ticket
            await self._col(TICKETS).update_one(
                {"_id": guard["ticket_id"]}, {"$set": update}, session=s
            )
            return True

        return await self._tx(work)

    async def claim(self, ticket_id: str, staff_id: int, now: float) -> bool:
        return await self._move(
            {"ticket_id": ticket_id, "ticket_status": "waiting"},
            {"mode": "human", "ticket_status": "assigned", "ticket_holder": staff_id},
            {"status": "assigned", "assigned_to": staff_id, "claimed_at": now},
            now,
        )

    async def assign(
        self, ticket_id: str, staff_id: int, now: float, *, holder: int | None
    ) -> bool:
        return await self._move(
            _guard(ticket_id, holder),
            {"mode": "human", "ticket_status": "assigned", "ticket_holder": staff_id},
            lambda t: {
                "status": "assigned",
                "assigned_to": staff_id,
                "claimed_at": t.get("claimed_at") or now,
            },
            now,
        )

    async def requeue(
        self, ticket_id: str, territory: str | None, now: float, *, holder: int | None
    ) -> bool:
        return await self._move(
            _guard(ticket_id, holder),
            {
                "mode": "waiting",
                "ticket_status": "waiting",
                "ticket_holder": None,
                "ticket_acked": False,
            },
            lambda t: {
                "status": "waiting",
                "assigned_to": None,
                "acked": False,
                "alerted_at": None,
                "territory": territory if territory is not None else t.get("territory"),
                "queued_at": now,
            },
            now,
        )

    async def close_ticket(
        self, ticket_id: str, outcome: str, now: float, *, holder: int | None
    ) -> bool:
        return await self._move(
            _guard(ticket_id, holder),
            {"mode": "bot", "state": "done", "misses": 0, "ticket_status": "closed"},
            {"status": "closed", "outcome": outcome, "closed_at": now},
            now,
        )

    async def mark_alerted(self, ticket_id: str, now: float) -> bool:
        flagged = await self._col(TICKETS).update_one(
            {"_id": ticket_id, "status": "waiting", "alerted_at": None},
            {"$set": {"alerted_at": now}},
        )
        return flagged.modified_count == 1
