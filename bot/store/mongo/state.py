"""What the engine reads per event on MongoDB: lookups by key."""

from __future__ import annotations

from bot.store.mongo import documents as docs
from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import CONVERSATIONS, TICKETS
from bot.store.records import InboxRow
from bot.store.roles_state import State


class MongoState(MongoBase):
    async def conversation_state(self, conversation_id: str) -> State:
        found = await self._col(CONVERSATIONS).find_one({"_id": conversation_id})
        if found is None:
            return None, None
        conversation = docs.conversation(found)
        if conversation.ticket_id is None:
            return conversation, None
        ticket = await self._col(TICKETS).find_one({"_id": conversation.ticket_id})
        return conversation, docs.ticket(ticket) if ticket else None

    async def next_pending_state(self, conversation_id: str) -> tuple[InboxRow, State] | None:
        row = await self.next_pending(conversation_id)  # type: ignore[attr-defined]
        if row is None:
            return None
        return row, await self.conversation_state(conversation_id)
