"""What the engine reads per event on SQLite: one query, one hop to the reader's thread."""

from __future__ import annotations

from bot.events import InboundEvent
from bot.store.records import InboxRow
from bot.store.roles_state import State, StateStore
from bot.store.sqlite import rows
from bot.store.sqlite.db import SQLiteDatabase

_TICKET = ", ".join(f"t.{c}" for c in rows.TICKET_COLUMNS.split(", "))
_SELECT = rows.CONVERSATION_SELECT.replace(" FROM conversations", f", {_TICKET} FROM conversations")
_WIDTH = rows.CONVERSATION_SELECT.split(" FROM ")[0].count(",") + 1
# The event first: a pending event of an unknown conversation is still returned (to be skipped).
_PENDING = _SELECT.replace(
    "SELECT ", "SELECT i.id, i.conversation_id, i.event, i.received_at, ", 1
).replace(
    " FROM conversations c",
    " FROM (SELECT id, conversation_id, event, received_at FROM inbox "
    "WHERE conversation_id = ? AND status = 'pending' ORDER BY id LIMIT 1) i "
    "LEFT JOIN conversations c ON c.id = i.conversation_id",
    1,
)


def _state(row: tuple[object, ...]) -> State:
    if row[0] is None:
        return None, None
    ticket = rows.ticket(row[_WIDTH:]) if row[_WIDTH] is not None else None
    return rows.conversation(row[:_WIDTH]), ticket


class SQLiteState(SQLiteDatabase, StateStore):
    async def conversation_state(self, conversation_id: str) -> State:
        row = await self._read_one(f"{_SELECT} WHERE c.id = ?", (conversation_id,))
        return (None, None) if row is None else _state(row)

    async def next_pending_state(self, conversation_id: str) -> tuple[InboxRow, State] | None:
        row = await self._read_one(_PENDING, (conversation_id,))
        if row is None:
            return None
        event = InboundEvent.from_json(str(row[2]))
        return InboxRow(row[0], row[1], event, row[3]), _state(row[4:])
