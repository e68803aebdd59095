"""The stalled-intake query on MongoDB."""

from __future__ import annotations

from collections.abc import Collection

from pymongo import ASCENDING

from bot.store.mongo import documents as docs
from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import CONVERSATIONS, INBOX
from bot.store.records import Conversation
from bot.store.roles_nudge import NUDGED_AT, NudgeStore


class MongoNudge(MongoBase, NudgeStore):
    async def stalled_conversations(
        self, states: Collection[str], idle_before: float, limit: int = 100
    ) -> list[Conversation]:
        states = list(states)
        if not states or limit <= 0:
            return []
        query = {
            "mode": "bot",
            "state": {"$in": states},
            "consent_at": {"$ne": None},
            "last_inbound_at": {"$ne": None, "$lte": idle_before},
            f"scratch.{NUDGED_AT}": {"$exists": False},
            "erased": {"$ne": True},
        }
        found: list[Conversation] = []
        # Fetch a little more than asked: those with a pending inbox event are dropped below.
        cursor = self._col(CONVERSATIONS).find(query).sort("last_inbound_at", ASCENDING)
        async for d in cursor.limit(limit * 2):
            found.append(docs.conversation(d))
        if not found:
            return []
        pending = self._col(INBOX).find(
            {"status": "pending", "conversation_id": {"$in": [c.id for c in found]}},
            {"conversation_id": 1},
        )
        busy = {d["conversation_id"] async for d in pending}
        return [c for c in found if c.id not in busy][:limit]
