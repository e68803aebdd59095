"""A conversation and its ticket on SQLite: one query, one hop to the reader's thread."""

from __future__ import annotations

from bot.store.records import Conversation, Ticket
from bot.store.roles_state import StateStore
from bot.store.sqlite import rows
from bot.store.sqlite.db import SQLiteDatabase

_TICKET = ", ".join(f"t.{c}" for c in rows.TICKET_COLUMNS.split(", "))
_SELECT = rows.CONVERSATION_SELECT.replace(" FROM conversations", f", {_TICKET} FROM conversations")
_WIDTH = rows.CONVERSATION_SELECT.split(" FROM ")[0].count(",") + 1


class SQLiteState(SQLiteDatabase, StateStore):
    async def conversation_state(
        self, conversation_id: str
    ) -> tuple[Conversation | None, Ticket | None]:
        row = await self._read_one(f"{_SELECT} WHERE c.id = ?", (conversation_id,))
        if row is None:
            return None, None
        ticket = rows.ticket(row[_WIDTH:]) if row[_WIDTH] is not None else None
        return rows.conversation(row[:_WIDTH]), ticket
