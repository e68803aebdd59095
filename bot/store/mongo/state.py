"""A conversation and its ticket on MongoDB: two lookups by primary key."""

from __future__ import annotations

from bot.store.mongo import documents as docs
from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import CONVERSATIONS, TICKETS
from bot.store.records import Conversation, Ticket


class MongoState(MongoBase):
    async def conversation_state(
        self, conversation_id: str
    ) -> tuple[Conversation | None, Ticket | None]:
        found = await self._col(CONVERSATIONS).find_one({"_id": conversation_id})
        if found is None:
            return None, None
        conversation = docs.conversation(found)
        if conversation.ticket_id is None:
            return conversation, None
        ticket = await self._col(TICKETS).find_one({"_id": conversation.ticket_id})
        return conversation, docs.ticket(ticket) if ticket else None
