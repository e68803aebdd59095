"""Stored waits on MongoDB: counts in the server, percentiles walked on each wait's index."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, UpdateOne

from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import TICKETS
from bot.store.roles_waits import STEPS, Step, TicketFunnel, Waits, WaitToStore

_FIELDS = {
    ("claim", False): "claim_raw",
    ("claim", True): "claim_office",
    ("reply", False): "reply_raw",
    ("reply", True): "reply_office",
}
_SET = {"$ne": None}


def _period(start: float, end: float, territory: str | None) -> dict[str, Any]:
    query: dict[str, Any] = {"created_at": {"$gte": start, "$lt": end}}
    if territory is not None:
        query["territory"] = territory
    return query


class MongoWaits(MongoBase):
    """WaitStore on MongoDB."""

    async def ticket_funnel(
        self, start: float, end: float, territory: str | None = None
    ) -> TicketFunnel:
        period, col = _period(start, end, territory), self._col(TICKETS)
        extras: tuple[dict[str, Any], ...] = (
            {},
            {"reason": "intake_done"},
            {"claimed_at": _SET},
            {"first_reply_at": _SET},
            *({_FIELDS[s]: {"$gte": 0}} for s in STEPS),
        )
        counts = [await col.count_documents({**period, **extra}) for extra in extras]
        cursor = await col.aggregate(
            [
                {"$match": {**period, "closed_at": _SET}},
                {"$group": {"_id": "$outcome", "n": {"$sum": 1}}},
            ]
        )
        closed = {d["_id"]: int(d["n"]) async for d in cursor}
        tickets, intake, claimed, replied, *stored = counts
        waits = dict(zip(STEPS, stored, strict=True))
        return TicketFunnel(tickets, intake, claimed, replied, closed, waits)

    async def waits_to_store(
        self, start: float, end: float, territory: str | None = None
    ) -> list[WaitToStore]:
        moved = {
            "$or": [
                {"$ne": [{"$ifNull": ["$claim_at", None]}, {"$ifNull": ["$claimed_at", None]}]},
                {
                    "$ne": [
                        {"$ifNull": ["$reply_at", None]},
                        {"$ifNull": ["$first_reply_at", None]},
                    ]
                },
            ]
        }
        cursor = self._col(TICKETS).find(
            {**_period(start, end, territory), "$expr": moved},
            {"created_at": 1, "claimed_at": 1, "first_reply_at": 1},
        )
        return [
            WaitToStore(d["_id"], d["created_at"], d.get("claimed_at"), d.get("first_reply_at"))
            async for d in cursor
        ]

    async def store_waits(self, waits: list[Waits]) -> None:
        if not waits:
            return
        # Only if the claim and reply are still those the waits were computed for.
        writes = [
            UpdateOne(
                {
                    "_id": w.ticket_id,
                    "claimed_at": w.claimed_at,
                    "first_reply_at": w.first_reply_at,
                },
                {
                    "$set": {
                        "claim_at": w.claimed_at,
                        "claim_raw": w.claim_raw,
                        "claim_office": w.claim_office,
                        "reply_at": w.first_reply_at,
                        "reply_raw": w.reply_raw,
                        "reply_office": w.reply_office,
                    }
                },
            )
            for w in waits
        ]
        await self._col(TICKETS).bulk_write(writes, ordered=False)

    async def waits_at(
        self,
        step: Step,
        office: bool,
        ranks: list[int],
        start: float,
        end: float,
        territory: str | None = None,
    ) -> list[float | None]:
        field = _FIELDS[step, office]
        # A range, not `$ne: null`: waits are never negative, and a range walks the index.
        query = {**_period(start, end, territory), field: {"$gte": 0}}
        values: list[float | None] = []
        for at in ranks:
            cursor = self._col(TICKETS).find(query, {field: 1}).sort(field, ASCENDING).skip(at)
            found = [d[field] async for d in cursor.limit(1)]
            values.append(found[0] if found else None)
        return values
