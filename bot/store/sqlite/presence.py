"""Presence on SQLite: one watermark row per conversation, moved forward only."""

from __future__ import annotations

from bot.store.roles_presence import PresenceStore
from bot.store.sqlite.db import SQLiteDatabase


class SQLitePresence(SQLiteDatabase, PresenceStore):
    async def set_seen(self, conversation_id: str, watermark: float) -> bool:
        async with self._tx() as db:
            cursor = await db.execute(
                "INSERT INTO presence_seen (conversation_id, watermark) VALUES (?, ?) "
                "ON CONFLICT (conversation_id) DO UPDATE SET watermark = excluded.watermark "
                "WHERE excluded.watermark > presence_seen.watermark",
                (conversation_id, watermark),
            )
            return cursor.rowcount == 1

    async def seen_until(self, conversation_id: str) -> float | None:
        row = await self._read_one(
            "SELECT watermark FROM presence_seen WHERE conversation_id = ?", (conversation_id,)
        )
        return None if row is None else float(row[0])
