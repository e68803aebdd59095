"""A youth's whole story on MongoDB: reopening a closed ticket."""

from __future__ import annotations

from bot.store.mongo.base import MongoBase, Session
from bot.store.mongo.documents import audit_doc
from bot.store.mongo.schema import AUDIT, CONVERSATIONS, TICKETS
from bot.store.roles_story import StoryStore


class MongoStory(MongoBase, StoryStore):
    """StoryStore on MongoDB."""

    async def reopen_ticket(self, ticket_id: str, staff_id: int, now: float) -> bool:
        [audit_id] = await self._next_ids(AUDIT)

        async def work(s: Session) -> bool:
            ticket = await self._col(TICKETS).find_one(
                {"_id": ticket_id, "status": "closed"}, session=s
            )
            if ticket is None or not ticket.get("snapshot"):
                return False
            moved = await self._col(CONVERSATIONS).update_one(
                {
                    "_id": ticket["conversation_id"],
                    "erased": {"$ne": True},
                    "ticket_status": {"$nin": ["waiting", "assigned"]},
                },
                {
                    "$set": {
                        "ticket_id": ticket_id,
                        "mode": "human",
                        "ticket_status": "assigned",
                        "ticket_holder": staff_id,
                        "ticket_priority": ticket.get("priority"),
                        "ticket_acked": False,
                        "updated_at": now,
                    },
                    "$inc": {"version": 1},
                },
                session=s,
            )
            if moved.modified_count != 1:
                return False
            await self._col(TICKETS).update_one(
                {"_id": ticket_id},
                {
                    "$set": {
                        "status": "assigned",
                        "assigned_to": staff_id,
                        "claimed_at": now,
                        "closed_at": None,
                        "outcome": None,
                        "acked": False,
                        "alerted_at": None,
                    }
                },
                session=s,
            )
            await self._col(AUDIT).insert_one(
                audit_doc(
                    audit_id, now, f"staff:{staff_id}", "ticket_reopened", f"ticket:{ticket_id}", {}
                ),
                session=s,
            )
            return True

        return await self._tx(work)
