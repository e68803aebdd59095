"""Leases and retention on MongoDB: one owner at a time, taken over once expired."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from bot.store.mongo.base import MongoBase, Session
from bot.store.mongo.erasure import erase_in, forget_in
from bot.store.mongo.schema import AUDIT, CONVERSATIONS, INBOX, LEASES, TICKETS

CONVERSATION_LEASE = "conversation:"


class MongoLeases(MongoBase):
    """LeaseStore and RetentionStore on MongoDB."""

    async def _take(self, lease_id: str, owner: str, until: float, now: float) -> bool:
        # Each step is one atomic conditional write: renew our own lease, take over an
        # expired one, or create it; a live lease of another owner refuses all three.
        leases = self._col(LEASES)
        value = {"$set": {"owner": owner, "until": until}}
        for held in ({"owner": owner}, {"until": {"$lte": now}}):
            if (await leases.update_one({"_id": lease_id, **held}, value)).matched_count:
                return True
        try:
            await leases.insert_one({"_id": lease_id, "owner": owner, "until": until})
        except DuplicateKeyError:
            return False
        return True

    async def _drop(self, lease_id: str, owner: str) -> None:
        await self._col(LEASES).delete_one({"_id": lease_id, "owner": owner})

    async def lease_conversation(
        self, conversation_id: str, owner: str, until: float, now: float
    ) -> bool:
        return await self._take(CONVERSATION_LEASE + conversation_id, owner, until, now)

    async def release_conversation(self, conversation_id: str, owner: str) -> None:
        await self._drop(CONVERSATION_LEASE + conversation_id, owner)

    async def try_lease(self, name: str, owner: str, until: float, now: float) -> bool:
        return await self._take(name, owner, until, now)

    async def release_lease(self, name: str, owner: str) -> None:
        await self._drop(name, owner)

    # --- retention ---------------------------------------------------------------------
    async def purge_unfinished(self, before: float, now: float) -> int:
        candidates = [
            d["_id"]
            async for d in self._col(CONVERSATIONS).find(
                {
                    "updated_at": {"$lt": before},
                    "ticket_id": None,
                    "mode": {"$in": ["bot", "paused"]},
                    "erased": {"$ne": True},
                },
                {"_id": 1},
            )
        ]
        busy = await self._values(
            INBOX, "conversation_id", {"status": "pending", "conversation_id": {"$in": candidates}}
        )
        return await self._retire("purge_unfinished", [c for c in candidates if c not in busy], now)

    async def anonymise_closed(self, before: float, now: float) -> int:
        closed = list(
            await self._values(
                TICKETS, "conversation_id", {"status": "closed", "closed_at": {"$lt": before}}
            )
        )
        ids = (
            [
                d["_id"]
                async for d in self._col(CONVERSATIONS).find(
                    {
                        "_id": {"$in": closed},
                        "erased": {"$ne": True},
                        "mode": {"$in": ["bot", "paused"]},
                        "updated_at": {"$lt": before},
                    },
                    {"_id": 1},
                )
            ]
            if closed
            else []
        )
        return await self._retire("anonymise_closed", ids, now)

    async def _retire(self, action: str, ids: list[str], now: float) -> int:
        """Erase these conversations in one transaction, audited by count only."""
        if not ids:
            return 0

        audit_id = (await self._next_ids(AUDIT))[0]

        async def work(s: Session) -> None:
            for conversation_id in ids:
                await erase_in(self.db, s, conversation_id, now)
                await forget_in(self.db, s, conversation_id, now)
            await self._col(AUDIT).insert_one(
                {
                    "_id": audit_id,
                    "seq": audit_id,
                    "at": now,
                    "actor": "retention",
                    "action": action,
                    "target": None,
                    "details": {"conversations": len(ids)},
                },
                session=s,
            )

        await self._tx(work)
        return len(ids)
