"""Linked conversations on MongoDB: one document per pair, the smaller id first."""

from __future__ import annotations

from pymongo import ASCENDING

from bot.store.mongo.base import MongoBase, Session
from bot.store.mongo.documents import audit_doc
from bot.store.mongo.schema import AUDIT, CONVERSATION_LINKS, CONVERSATIONS


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class MongoLinks(MongoBase):
    """LinkStore on MongoDB."""

    async def link_conversations(self, a: str, b: str, staff_id: int, now: float) -> bool:
        if a == b:
            return False
        first, second = _pair(a, b)
        [audit_id] = await self._next_ids(AUDIT)

        async def work(s: Session) -> bool:
            cursor = self._col(CONVERSATIONS).find(
                {"_id": {"$in": [first, second]}}, {"_id": 1}, session=s
            )
            known = len([d async for d in cursor])
            links = self._col(CONVERSATION_LINKS)
            if known != 2 or await links.find_one({"_id": f"{first}|{second}"}, session=s):
                return False
            doc = {"_id": f"{first}|{second}", "a": first, "b": second}
            await links.insert_one({**doc, "staff_id": staff_id, "created_at": now}, session=s)
            await self._audit(s, audit_id, now, staff_id, "conversations_linked", first, second)
            return True

        return await self._tx(work)

    async def unlink_conversations(self, a: str, b: str, staff_id: int, now: float) -> bool:
        first, second = _pair(a, b)
        [audit_id] = await self._next_ids(AUDIT)

        async def work(s: Session) -> bool:
            gone = await self._col(CONVERSATION_LINKS).delete_one(
                {"_id": f"{first}|{second}"}, session=s
            )
            if gone.deleted_count != 1:
                return False
            await self._audit(s, audit_id, now, staff_id, "conversations_unlinked", first, second)
            return True

        return await self._tx(work)

    async def _audit(
        self, s: Session, audit_id: int, now: float, staff_id: int, action: str, a: str, b: str
    ) -> None:
        line = audit_doc(
            audit_id,
            now,
            f"staff:{staff_id}",
            action,
            f"conversation:{a}",
            {"with": f"conversation:{b}"},
        )
        await self._col(AUDIT).insert_one(line, session=s)

    async def linked_conversations(self, conversation_id: str) -> list[str]:
        cursor = self._col(CONVERSATION_LINKS).find(
            {"$or": [{"a": conversation_id}, {"b": conversation_id}]}
        )
        docs = [d async for d in cursor.sort("created_at", ASCENDING)]
        docs.sort(key=lambda d: (d["created_at"], d["a"], d["b"]))
        return [d["b"] if d["a"] == conversation_id else d["a"] for d in docs]
