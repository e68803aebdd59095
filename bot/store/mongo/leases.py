"""Leases and retention on MongoDB: one owner at a time, taken over once expired."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError

from bot.store.mongo.base import MongoBase, Session
from bot.store.mongo.documents import audit_doc
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
        idle = {
            "updated_at": {"$lt": before},
            "ticket_id": None,
            "mode": {"$in": ["bot", "paused"]},
            "erased": {"$ne": True},
        }
        return await self._retire("purge_unfinished", idle, now, unless_pending=True)

    async def anonymise_closed(self, before: float, now: float) -> int:
        closed = await self._values(
            TICKETS, "conversation_id", {"status": "closed", "closed_at": {"$lt": before}}
        )
        if not closed:
            return 0
        done = {
            "_id": {"$in": list(closed)},
            "erased": {"$ne": True},
            "mode": {"$in": ["bot", "paused"]},
            "updated_at": {"$lt": before},
        }
        return await self._retire("anonymise_closed", done, now)

    async def _retire(
        self, action: str, query: dict[str, Any], now: float, *, unless_pending: bool = False
    ) -> int:
        """Erase the conversations `query` finds, in one transaction, audited by count only.

        They are found inside the transaction: a youth who writes meanwhile either lands
        before (and the conversation is left alone) or after (and starts afresh).
        """
        audit_id = (await self._next_ids(AUDIT))[0]

        async def work(s: Session) -> int:
            conversations = self._col(CONVERSATIONS).find(query, {"_id": 1}, session=s)
            ids = [d["_id"] async for d in conversations]
            if ids and unless_pending:
                pending = self._col(INBOX).find(
                    {"status": "pending", "conversation_id": {"$in": ids}},
                    {"conversation_id": 1},
                    session=s,
                )
                busy = {d["conversation_id"] async for d in pending}
                ids = [i for i in ids if i not in busy]
            for conversation_id in ids:
                await erase_in(self.db, s, conversation_id, now)
                await forget_in(self.db, s, conversation_id, now)
            if ids:
                details = {"conversations": len(ids)}
                await self._col(AUDIT).insert_one(
                    audit_doc(audit_id, now, "retention", action, None, details), session=s
                )
            return len(ids)

        return await self._tx(work)
