"""Tickets on SQLite: the queue, and counsellors' moves, each bumping the conversation."""

from __future__ import annotations

from typing import Any

from bot.store.records import QueuedTicket, Ticket, TicketStatus
from bot.store.roles_handoff import TicketStore
from bot.store.sqlite import rows, writes
from bot.store.sqlite.db import SQLiteDatabase

_ORDER = {
    "waiting": "CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, queued_at, created_at, id",
    "assigned": "claimed_at DESC, id DESC",
    "closed": "closed_at DESC, id DESC",
}
_QUEUED = f"SELECT {rows.TICKET_COLUMNS}, COALESCE(queued_at, created_at) FROM tickets"


class SQLiteTickets(SQLiteDatabase, TicketStore):
    # --- reading -------------------------------------------------------------
    async def get_ticket(self, ticket_id: str) -> Ticket | None:
        row = await self._read_one(
            f"SELECT {rows.TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)
        )
        return rows.ticket(row) if row else None

    async def list_tickets(self, status: TicketStatus, limit: int = 200) -> list[Ticket]:
        return [q.ticket for q in await self.queued(status, limit=limit)]

    async def queued(
        self, status: str, *, assigned_to: int | None = None, limit: int = 200
    ) -> list[QueuedTicket]:
        params: list[Any] = [status]
        where = "status = ?"
        if assigned_to is not None:
            where, params = f"{where} AND assigned_to = ?", [status, assigned_to]
        found = await self._read_all(
            f"{_QUEUED} WHERE {where} ORDER BY {_ORDER.get(status, 'created_at DESC')} LIMIT ?",
            (*params, limit),
        )
        return [rows.queued(r) for r in found]

    async def queued_one(self, ticket_id: str) -> QueuedTicket | None:
        row = await self._read_one(f"{_QUEUED} WHERE id = ?", (ticket_id,))
        return rows.queued(row) if row else None

    async def conversation_tickets(self, conversation_id: str) -> list[Ticket]:
        found = await self._read_all(
            f"SELECT {rows.TICKET_COLUMNS} FROM tickets WHERE conversation_id = ? "
            "ORDER BY created_at, rowid",
            (conversation_id,),
        )
        return [rows.ticket(r) for r in found]

    async def territories(self) -> list[str]:
        found = await self._read_all(
            "SELECT territory FROM staff WHERE territory IS NOT NULL AND active = 1 "
            "UNION SELECT territory FROM tickets WHERE territory IS NOT NULL ORDER BY 1"
        )
        return [r[0] for r in found]

    # --- moves -----------------------------------------------------------------
    async def claim(self, ticket_id: str, staff_id: int, now: float) -> bool:
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE tickets SET status = 'assigned', assigned_to = ?, claimed_at = ? "
                "WHERE id = ? AND status = 'waiting'",
                (staff_id, now, ticket_id),
            )
            if cur.rowcount != 1:
                return False
            await writes.bump_conversation(db, ticket_id, now, mode="human")
        return True

    async def assign(
        self, ticket_id: str, staff_id: int, now: float, *, holder: int | None
    ) -> bool:
        where, params = _guard(ticket_id, holder)
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE tickets SET status = 'assigned', assigned_to = ?, "
                f"claimed_at = COALESCE(claimed_at, ?) WHERE {where}",
                (staff_id, now, *params),
            )
            if cur.rowcount != 1:
                return False
            await writes.bump_conversation(db, ticket_id, now, mode="human")
        return True

    async def requeue(
        self, ticket_id: str, territory: str | None, now: float, *, holder: int | None
    ) -> bool:
        where, params = _guard(ticket_id, holder)
        async with self._tx() as db:
            async with db.execute(f"SELECT 1 FROM tickets WHERE {where}", params) as cur:
                if await cur.fetchone() is None:
                    return False
            await writes.requeue(db, ticket_id, territory, now)
        return True

    async def close_ticket(
        self, ticket_id: str, outcome: str, now: float, *, holder: int | None
    ) -> bool:
        where, params = _guard(ticket_id, holder)
        async with self._tx() as db:
            cur = await db.execute(
                f"UPDATE tickets SET status = 'closed', outcome = ?, closed_at = ? WHERE {where}",
                (outcome, now, *params),
            )
            if cur.rowcount != 1:
                return False
            await writes.bump_conversation(db, ticket_id, now, mode="bot", state="done", misses=0)
        return True

    async def mark_alerted(self, ticket_id: str, now: float) -> bool:
        changed = await self._change(
            "UPDATE tickets SET alerted_at = ? WHERE id = ? AND status = 'waiting' "
            "AND alerted_at IS NULL",
            (now, ticket_id),
        )
        return changed == 1


def _guard(ticket_id: str, holder: int | None) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause of a move: any open ticket, or only one `holder` holds."""
    if holder is None:
        return "id = ? AND status != 'closed'", (ticket_id,)
    return "id = ? AND status = 'assigned' AND assigned_to = ?", (ticket_id, holder)
