"""Finding tickets on MongoDB: `$text` over the thread, notes and ticket cards, then filters.

Each of the three collections has one text index (see `schema.py`); erasing a conversation
deletes its thread and notes and empties its cards, so nothing of it stays searchable.
"""

from __future__ import annotations

from typing import Any

from bot.store.mongo import documents as docs
from bot.store.mongo.base import Doc, MongoBase
from bot.store.mongo.schema import NOTES, THREAD, TICKETS
from bot.store.records import QueuedTicket
from bot.store.roles_search import (
    CARD_FIELDS,
    MAX_RESULTS,
    SearchStore,
    TicketQuery,
    document_words,
)

_STATUS: dict[str, Doc] = {
    "waiting": {"status": "waiting"},
    "open": {"status": {"$in": ["waiting", "assigned"]}},
    "closed": {"status": "closed"},
    "all": {},
}
_ORDER: dict[str, list[tuple[str, int]]] = {
    # "urgent" sorts after "normal": descending puts urgent tickets first.
    "waiting": [("priority", -1), ("queued_at", 1), ("seq", 1)],
    "closed": [("closed_at", -1), ("seq", -1)],
}
_NEWEST = [("created_at", -1), ("seq", -1)]
_CARD_FIELDS: Doc = {"conversation_id": 1, "source": 1, "snapshot": 1}


class MongoSearch(MongoBase, SearchStore):
    """SearchStore on MongoDB."""

    async def find_tickets(self, query: TicketQuery) -> list[QueuedTicket]:
        filters = ticket_filter(query)
        terms = query.terms
        if query.text.strip():
            if not terms:
                return []  # only punctuation: nothing can match
            filters["conversation_id"] = {"$in": await self._matching_conversations(terms)}
        limit = max(1, min(query.limit, MAX_RESULTS))
        cursor = (
            self._col(TICKETS).find(filters).sort(_ORDER.get(query.status, _NEWEST)).limit(limit)
        )
        return [docs.queued(d) async for d in cursor]

    async def _matching_conversations(self, terms: list[str]) -> list[str]:
        # Quoted words: every one must be present (bare words would mean any of them).
        text: Doc = {"$text": {"$search": " ".join(f'"{t}"' for t in terms)}}
        found: set[str] = set()
        lines = {**text, "author": {"$in": ["youth", "counsellor"]}}
        async for d in self._col(THREAD).find(lines, {"conversation_id": 1}):
            found.add(d["conversation_id"])
        # A card's words sit in several fields, and quoted words must all match within one
        # field: ask for the longest word alone, then keep the cards holding them all at once.
        longest: Doc = {"$text": {"$search": f'"{max(terms, key=len)}"'}}
        async for d in self._col(TICKETS).find(longest, _CARD_FIELDS):
            if set(terms) <= set(document_words(_card_text(d))):
                found.add(d["conversation_id"])
        noted = {d["ticket_id"] async for d in self._col(NOTES).find(text, {"ticket_id": 1})}
        if noted:
            cursor = self._col(TICKETS).find({"_id": {"$in": list(noted)}}, {"conversation_id": 1})
            found.update([d["conversation_id"] async for d in cursor])
        return sorted(found)


def _card_text(d: Doc) -> str:
    """A ticket card's searched fields as one text, as SQLite indexes it."""
    card = d.get("snapshot") or {}
    fields = (card.get(f) or "" for f in CARD_FIELDS)
    return " ".join(str(v) for v in fields) + " " + (d.get("source") or "")


def ticket_filter(q: TicketQuery) -> dict[str, Any]:
    """The filters as a query over `tickets`."""
    if q.status == "mine":
        filters: Doc = {"status": "assigned", "assigned_to": q.staff_id}
    else:
        filters = dict(_STATUS[q.status])
    for field, value in (("territory", q.territory), ("channel", q.channel), ("source", q.source)):
        if value:
            filters[field] = value
    if q.need:
        filters["snapshot.need"] = q.need
    if q.structure:
        filters["snapshot.structure"] = q.structure
    if q.urgent is not None:
        filters["priority"] = "urgent" if q.urgent else "normal"
    created: Doc = {}
    if q.since is not None:
        created["$gte"] = q.since
    if q.until is not None:
        created["$lt"] = q.until
    if created:
        filters["created_at"] = created
    return filters
