"""Linked conversations on SQLite: one row per pair, the smaller id first."""

from __future__ import annotations

from bot.store.roles_links import LinkStore
from bot.store.sqlite import writes
from bot.store.sqlite.db import SQLiteDatabase


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class SQLiteLinks(SQLiteDatabase, LinkStore):
    async def link_conversations(self, a: str, b: str, staff_id: int, now: float) -> bool:
        if a == b:
            return False
        first, second = pair(a, b)
        async with self._tx() as db:
            async with db.execute(
                "SELECT COUNT(*) FROM conversations WHERE id IN (?, ?)", (first, second)
            ) as cur:
                row = await cur.fetchone()
            if row is None or row[0] != 2:
                return False
            cur = await db.execute(
                "INSERT INTO conversation_links (a, b, staff_id, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (first, second, staff_id, now),
            )
            if cur.rowcount != 1:
                return False
            await writes.audit(
                db,
                now,
                f"staff:{staff_id}",
                "conversations_linked",
                f"conversation:{first}",
                {"with": f"conversation:{second}"},
            )
        return True

    async def unlink_conversations(self, a: str, b: str, staff_id: int, now: float) -> bool:
        first, second = pair(a, b)
        async with self._tx() as db:
            cur = await db.execute(
                "DELETE FROM conversation_links WHERE a = ? AND b = ?", (first, second)
            )
            if cur.rowcount != 1:
                return False
            await writes.audit(
                db,
                now,
                f"staff:{staff_id}",
                "conversations_unlinked",
                f"conversation:{first}",
                {"with": f"conversation:{second}"},
            )
        return True

    async def linked_conversations(self, conversation_id: str) -> list[str]:
        found = await self._read_all(
            "SELECT CASE WHEN a = ?1 THEN b ELSE a END FROM conversation_links "
            "WHERE a = ?1 OR b = ?1 ORDER BY created_at, a, b",
            (conversation_id,),
        )
        return [r[0] for r in found]
