"""A youth's whole story on SQLite: reopening a closed ticket."""

from __future__ import annotations

from bot.store.roles_story import StoryStore
from bot.store.sqlite import writes
from bot.store.sqlite.db import SQLiteDatabase


class SQLiteStory(SQLiteDatabase, StoryStore):
    async def reopen_ticket(self, ticket_id: str, staff_id: int, now: float) -> bool:
        async with self._tx() as db:
            async with db.execute(
                "SELECT c.id FROM tickets t JOIN conversations c ON c.id = t.conversation_id "
                "LEFT JOIN tickets o ON o.id = c.ticket_id AND o.id != t.id "
                "AND o.status IN ('waiting', 'assigned') "
                "WHERE t.id = ? AND t.status = 'closed' AND t.snapshot != '{}' "
                "AND c.user_id NOT LIKE 'erased:%' AND o.id IS NULL",
                (ticket_id,),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return False
            await db.execute(
                "UPDATE tickets SET status = 'assigned', assigned_to = ?, claimed_at = ?, "
                "closed_at = NULL, outcome = NULL, acked = 0, alerted_at = NULL WHERE id = ?",
                (staff_id, now, ticket_id),
            )
            await db.execute(
                "UPDATE conversations SET ticket_id = ?, mode = 'human', updated_at = ?, "
                "version = version + 1 WHERE id = ?",
                (ticket_id, now, row[0]),
            )
            await writes.audit(
                db, now, f"staff:{staff_id}", "ticket_reopened", f"ticket:{ticket_id}", {}
            )
        return True
