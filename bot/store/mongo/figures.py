"""The figures on MongoDB: an aggregation pipeline over conversations, a scan of tickets."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING

from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import CONVERSATIONS, TICKETS
from bot.store.roles_figures import ConversationGroup, TicketFact

# One string key per group: compound `_id` documents and boolean expressions are beyond some
# wire-compatible servers (nx-27017 among them), while $concat, $ifNull, $toString and $type
# behave the same everywhere. Traits never hold the separators (codes, commune names, numbers).
SEP, MISSING = "\x1f", "\x1e"
_TRAITS = ("$channel", "$source", "$profile.commune", "$profile.territory", "$profile.need")
_KEY = {
    "$concat": [
        *(p for t in _TRAITS for p in ({"$ifNull": [t, MISSING]}, SEP)),
        {"$ifNull": [{"$toString": "$profile.age"}, MISSING]},
        SEP,
        {"$type": "$consent_at"},
    ]
}
_NUMBER_TYPES = {"double", "int", "long", "decimal"}
_FACTS = (
    "channel",
    "source",
    "territory",
    "reason",
    "created_at",
    "claimed_at",
    "first_reply_at",
    "closed_at",
    "outcome",
)


def _group(key: str, count: int) -> ConversationGroup:
    channel, source, commune, territory, need, age, consent = key.split(SEP)

    def known(value: str) -> str | None:
        return None if value == MISSING else value

    try:
        years = int(float(age)) if age != MISSING else None
    except ValueError:
        years = None
    return ConversationGroup(
        channel,
        known(source),
        known(commune),
        known(territory),
        known(need),
        years,
        consent in _NUMBER_TYPES,
        count,
    )


class MongoFigures(MongoBase):
    """FiguresStore on MongoDB."""

    async def conversation_groups(
        self, start: float, end: float, territory: str | None = None
    ) -> list[ConversationGroup]:
        match: dict[str, Any] = {"created_at": {"$gte": start, "$lt": end}}
        if territory is not None:
            match["profile.territory"] = territory
        pipeline = [{"$match": match}, {"$group": {"_id": _KEY, "n": {"$sum": 1}}}]
        cursor = await self._col(CONVERSATIONS).aggregate(pipeline)
        return [_group(d["_id"], int(d["n"])) async for d in cursor]

    async def ticket_facts(
        self, start: float, end: float, territory: str | None = None
    ) -> list[TicketFact]:
        query: dict[str, Any] = {"created_at": {"$gte": start, "$lt": end}}
        if territory is not None:
            query["territory"] = territory
        cursor = (
            self._col(TICKETS)
            .find(query, {k: 1 for k in _FACTS})
            .sort([("created_at", ASCENDING), ("seq", ASCENDING)])
        )
        return [TicketFact(*[d.get(k) for k in _FACTS]) async for d in cursor]  # type: ignore[arg-type]

    async def count_tickets(self, start: float, end: float, territory: str | None = None) -> int:
        query: dict[str, Any] = {"created_at": {"$gte": start, "$lt": end}}
        if territory is not None:
            query["territory"] = territory
        return await self._col(TICKETS).count_documents(query)
