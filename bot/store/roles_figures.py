"""The coordinator's figures: conversation counts grouped in the store, and ticket timings."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class ConversationGroup:
    """How many conversations started in a period share these anonymous traits."""

    channel: str
    source: str | None
    commune: str | None
    territory: str | None
    need: str | None
    age: int | None
    consented: bool
    count: int


@dataclass(frozen=True)
class TicketFact:
    """One ticket's anonymous facts: where it came from and when each step happened."""

    channel: str
    source: str | None
    territory: str | None
    reason: str
    created_at: float
    claimed_at: float | None
    first_reply_at: float | None
    closed_at: float | None
    outcome: str | None


class FiguresStore(ABC):
    """Aggregates over a period [start, end), optionally one territory (EPCI)."""

    @abstractmethod
    async def conversation_groups(
        self, start: float, end: float, territory: str | None = None
    ) -> list[ConversationGroup]:
        """Conversations created in the period, counted per group, in no particular order."""

    @abstractmethod
    async def ticket_facts(
        self, start: float, end: float, territory: str | None = None
    ) -> list[TicketFact]:
        """Tickets created in the period (of the territory), oldest first."""

    @abstractmethod
    async def count_tickets(self, start: float, end: float, territory: str | None = None) -> int:
        """How many tickets were created in the period (of the territory)."""
