"""Presence on MongoDB: one watermark document per conversation, moved forward only."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import PRESENCE_SEEN
from bot.store.roles_presence import PresenceStore


class MongoPresence(MongoBase, PresenceStore):
    """PresenceStore on MongoDB."""

    async def set_seen(self, conversation_id: str, watermark: float) -> bool:
        seen = self._col(PRESENCE_SEEN)
        moved = await seen.update_one(
            {"_id": conversation_id, "watermark": {"$lt": watermark}},
            {"$set": {"watermark": watermark}},
        )
        if moved.modified_count == 1:
            return True
        try:  # the first read event of this conversation (or an old one: the key exists)
            await seen.insert_one({"_id": conversation_id, "watermark": watermark})
        except DuplicateKeyError:
            return False
        return True

    async def seen_until(self, conversation_id: str) -> float | None:
        found = await self._col(PRESENCE_SEEN).find_one({"_id": conversation_id})
        return None if found is None else float(found["watermark"])
