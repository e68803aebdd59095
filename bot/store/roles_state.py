"""A conversation and its ticket read together: the engine's one read per event."""

from __future__ import annotations

from abc import ABC, abstractmethod

from bot.store.records import Conversation, Ticket


class StateStore(ABC):
    @abstractmethod
    async def conversation_state(
        self, conversation_id: str
    ) -> tuple[Conversation | None, Ticket | None]:
        """The conversation (None if unknown) and the ticket it points to (None if none)."""
