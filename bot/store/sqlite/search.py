"""Finding tickets on SQLite: the FTS5 `search_index` (kept by triggers) and the queue's filters."""

from __future__ import annotations

from typing import Any

from bot.store.records import QueuedTicket
from bot.store.roles_search import MAX_RESULTS, SearchStore, TicketQuery
from bot.store.sqlite import rows, search_broad
from bot.store.sqlite.db import SQLiteDatabase
from bot.store.sqlite.words import match_expression

_STATUS = {
    "waiting": "status = 'waiting'",
    "mine": "status = 'assigned' AND assigned_to = ?",
    "open": "status IN ('waiting', 'assigned')",
    "closed": "status = 'closed'",
    "all": "1 = 1",
}
_ORDER = {
    "waiting": "CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, queued_at, created_at, id",
    "closed": "closed_at DESC, id DESC",
    # Few tickets are open: read them through the status index and sort, rather than walk
    # every ticket newest first (the unary + keeps the planner off the created_at index).
    "open": "+created_at DESC, id DESC",
    "mine": "+created_at DESC, id DESC",
}
_MATCHES = (
    "conversation_id IN (SELECT conversation_id FROM search_index WHERE search_index MATCH ?)"
)
_SELECT = f"SELECT {rows.TICKET_COLUMNS}, COALESCE(queued_at, created_at) FROM tickets"


class SQLiteSearch(SQLiteDatabase, SearchStore):
    # Matching documents from which the ticket list drives the search, and its first chunk.
    broad_matches = search_broad.BROAD
    broad_chunk = search_broad.FIRST_CHUNK
    broad_matches_short_lists = search_broad.BROAD_SHORT_LISTS

    async def find_tickets(self, query: TicketQuery) -> list[QueuedTicket]:
        where, params = where_clause(query)
        order = _ORDER.get(query.status, "created_at DESC, id DESC")
        limit = max(1, min(query.limit, MAX_RESULTS))
        select = f"{_SELECT} WHERE {where} ORDER BY {order}"
        if query.terms:
            expression = match_expression(query.terms)
            short = query.status in ("waiting", "open", "mine")
            broad = self.broad_matches_short_lists if short else self.broad_matches
            if await search_broad.is_broad(self, expression, broad):
                found = await search_broad.walk(
                    self, select, params, limit, expression, self.broad_chunk
                )
                return [rows.queued(r) for r in found]
            select = f"{_SELECT} WHERE {where} AND {_MATCHES} ORDER BY {order}"
            params.append(expression)
        found = await self._read_all(f"{select} LIMIT ?", (*params, limit))
        return [rows.queued(r) for r in found]


def where_clause(q: TicketQuery) -> tuple[str, list[Any]]:
    """The filters as SQL over `tickets`, with their parameters in order (words apart)."""
    clauses: list[str] = [_STATUS[q.status]]
    params: list[Any] = []
    if q.status == "mine":
        params.append(q.staff_id if q.staff_id is not None else -1)
    for column, value in (("territory", q.territory), ("channel", q.channel)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if q.source:
        clauses.append("source = ?")
        params.append(q.source)
    if q.need:
        clauses.append("json_extract(snapshot, '$.need') = ?")
        params.append(q.need)
    if q.structure:
        clauses.append("json_extract(snapshot, '$.structure') = ?")
        params.append(q.structure)
    if q.urgent is not None:
        clauses.append("priority = ?")
        params.append("urgent" if q.urgent else "normal")
    if q.since is not None:
        clauses.append("created_at >= ?")
        params.append(q.since)
    if q.until is not None:
        clauses.append("created_at < ?")
        params.append(q.until)
    if q.text.strip() and not q.terms:
        clauses.append("0 = 1")  # only punctuation: nothing can match
    return " AND ".join(clauses), params
