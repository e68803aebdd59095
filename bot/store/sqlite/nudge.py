"""The stalled-intake query on SQLite."""

from __future__ import annotations

from collections.abc import Collection

from bot.store.records import Conversation
from bot.store.roles_nudge import NUDGED_AT, NudgeStore
from bot.store.sqlite import rows
from bot.store.sqlite.db import SQLiteDatabase


class SQLiteNudge(SQLiteDatabase, NudgeStore):
    async def stalled_conversations(
        self, states: Collection[str], idle_before: float, limit: int = 100
    ) -> list[Conversation]:
        states = list(states)
        if not states or limit <= 0:
            return []
        marks = ", ".join("?" * len(states))
        found = await self._read_all(
            f"{rows.CONVERSATION_SELECT} WHERE c.mode = 'bot' AND c.state IN ({marks}) "
            "AND c.consent_at IS NOT NULL AND c.last_inbound_at <= ? "
            f"AND json_extract(c.scratch, '$.{NUDGED_AT}') IS NULL "
            "AND c.user_id NOT LIKE 'erased:%' "
            "AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.conversation_id = c.id "
            "AND i.status = 'pending') ORDER BY c.last_inbound_at LIMIT ?",
            (*states, idle_before, limit),
        )
        return [rows.conversation(r) for r in found]
