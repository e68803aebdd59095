"""Web Push on MongoDB: one document of VAPID keys, one per subscribed device."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import PUSH_KEYS, PUSH_SUBSCRIPTIONS
from bot.store.roles_push import PushSubscription, VapidKeys

_KEYS_ID = "vapid"


class MongoPush(MongoBase):
    """PushStore on MongoDB."""

    async def vapid_keys(self, candidate: VapidKeys, now: float) -> VapidKeys:
        doc = {
            "_id": _KEYS_ID,
            "private_key": candidate.private_key,
            "public_key": candidate.public_key,
            "created_at": now,
        }
        try:
            await self._col(PUSH_KEYS).insert_one(doc)
        except DuplicateKeyError:
            pass  # another instance, or an earlier start, made them: theirs are kept
        stored = await self._col(PUSH_KEYS).find_one({"_id": _KEYS_ID})
        assert stored is not None
        return VapidKeys(stored["private_key"], stored["public_key"])

    async def save_subscription(self, sub: PushSubscription) -> None:
        await self._col(PUSH_SUBSCRIPTIONS).update_one(
            {"_id": sub.endpoint},
            {
                "$set": {"staff_id": sub.staff_id, "p256dh": sub.p256dh, "auth": sub.auth},
                "$setOnInsert": {"created_at": sub.created_at},
            },
            upsert=True,
        )

    async def drop_subscription(self, endpoint: str, staff_id: int | None = None) -> bool:
        query: dict[str, object] = {"_id": endpoint}
        if staff_id is not None:
            query["staff_id"] = staff_id
        return (await self._col(PUSH_SUBSCRIPTIONS).delete_one(query)).deleted_count == 1

    async def subscriptions(self, staff_ids: Iterable[int]) -> list[PushSubscription]:
        ids = list(staff_ids)
        if not ids:
            return []
        cursor = self._col(PUSH_SUBSCRIPTIONS).find({"staff_id": {"$in": ids}})
        found = [
            PushSubscription(d["_id"], d["staff_id"], d["p256dh"], d["auth"], d["created_at"])
            async for d in cursor.sort("created_at", ASCENDING)
        ]
        return sorted(found, key=lambda s: (s.created_at, s.endpoint))
