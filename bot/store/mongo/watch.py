"""Nobody waits unseen, on MongoDB: unanswered held tickets, alert steps, away records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from bot.store.mongo.base import MongoBase
from bot.store.mongo.documents import ticket
from bot.store.mongo.schema import SESSIONS, STAFF_AWAY, THREAD, TICKETS, WATCH_MARKS
from bot.store.roles_watch import Away, Unanswered


def _away(d: dict[str, Any]) -> Away:
    return Away(int(d["_id"]), bool(d.get("absent")), d.get("since"))


class MongoWatch(MongoBase):
    """WatchStore on MongoDB."""

    async def unanswered_claims(self, limit: int = 1000) -> list[Unanswered]:
        found = []
        cursor = self._col(TICKETS).find({"status": "assigned"}).sort("claimed_at", ASCENDING)
        async for doc in cursor.limit(limit):
            wait = await self._wait(doc)
            if wait is not None:
                found.append(wait)
        return sorted(found, key=lambda u: u.since)

    async def _wait(self, doc: dict[str, Any]) -> Unanswered | None:
        held = ticket(doc)
        lines = {"conversation_id": held.conversation_id, "ticket_id": held.id}
        answer = await self._col(THREAD).find_one(
            {**lines, "author": "counsellor"}, {"seq": 1}, sort=[("seq", DESCENDING)]
        )
        claimed = held.claimed_at or held.created_at
        if answer is None:
            return Unanswered(held, claimed)
        youth = await self._col(THREAD).find_one(
            {**lines, "author": "youth", "seq": {"$gt": answer["seq"]}},
            {"created_at": 1},
            sort=[("seq", ASCENDING)],
        )
        return None if youth is None else Unanswered(held, max(youth["created_at"], claimed))

    async def mark_watch(self, ticket_id: str, step: str, since: float, now: float) -> bool:
        doc = {"_id": f"{ticket_id}|{step}|{since!r}", "ticket_id": ticket_id, "at": now}
        try:
            await self._col(WATCH_MARKS).insert_one({**doc, "step": step, "since": since})
        except DuplicateKeyError:
            return False
        return True

    async def live_staff(self, seen_since: float) -> set[int]:
        query = {"last_seen_at": {"$gte": seen_since}}
        return {int(s) for s in await self._values(SESSIONS, "staff_id", query)}

    async def set_absent(self, staff_id: int, absent: bool, now: float) -> None:
        away = self._col(STAFF_AWAY)
        if not absent:
            await away.delete_one({"_id": staff_id})
            return
        try:
            await away.insert_one({"_id": staff_id, "absent": True, "since": now})
        except DuplicateKeyError:  # seen away already: keep since when
            await away.update_one({"_id": staff_id}, {"$set": {"absent": True}})

    async def away_records(self, staff_ids: Iterable[int] | None = None) -> dict[int, Away]:
        query = {} if staff_ids is None else {"_id": {"$in": list(staff_ids)}}
        return {a.staff_id: a async for a in _records(self._col(STAFF_AWAY).find(query))}

    async def mark_away(self, staff_id: int, now: float) -> float:
        away = self._col(STAFF_AWAY)
        try:
            await away.insert_one({"_id": staff_id, "absent": False, "since": now})
        except DuplicateKeyError:  # an earlier record (or another instance's) stands
            doc = await away.find_one({"_id": staff_id})
            if doc is not None:
                return float(doc["since"])
        return now

    async def clear_away(self, staff_id: int) -> None:
        await self._col(STAFF_AWAY).delete_one({"_id": staff_id, "absent": False})


async def _records(cursor: Any) -> Any:
    async for d in cursor:
        yield _away(d)
