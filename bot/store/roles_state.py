"""What the engine reads per event, in one call: the next pending event, its conversation, ticket."""

from __future__ import annotations

from abc import ABC, abstractmethod

from bot.store.records import Conversation, InboxRow, Ticket

State = tuple[Conversation | None, Ticket | None]


class StateStore(ABC):
    @abstractmethod
    async def conversation_state(self, conversation_id: str) -> State:
        """The conversation (None if unknown) and the ticket it points to (None if none)."""

    @abstractmethod
    async def next_pending_state(self, conversation_id: str) -> tuple[InboxRow, State] | None:
        """`next_pending` and `conversation_state` read together; None when nothing is pending."""
