"""Each ticket's waiting times stored as numbers, so a year's figures read them, not rows."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Literal

Step = Literal["claim", "reply"]  # waiting for a counsellor's claim, for their first reply


@dataclass(frozen=True)
class TicketFunnel:
    """A period's tickets counted at each step (outcome None: closed without one)."""

    tickets: int
    intake_completed: int
    claimed: int
    first_reply: int
    closed_by_outcome: dict[str | None, int] = field(default_factory=dict)
    stored: dict[tuple[Step, bool], int] = field(default_factory=dict)  # waits per (step, office)


@dataclass(frozen=True)
class WaitToStore:
    """A ticket whose stored waits are missing or older than its claim or first reply."""

    ticket_id: str
    created_at: float
    claimed_at: float | None
    first_reply_at: float | None


@dataclass(frozen=True)
class Waits:
    """One ticket's waits: raw and in office hours, each None when the step has not happened."""

    ticket_id: str
    claimed_at: float | None
    claim_raw: float | None
    claim_office: float | None
    first_reply_at: float | None
    reply_raw: float | None
    reply_office: float | None


def rank(share: float, count: int) -> int:
    """Nearest rank, 0-based: the smallest value with at least `share` of them at or below."""
    return max(0, math.ceil(share * count) - 1)


STEPS: tuple[tuple[Step, bool], ...] = (
    ("claim", False),
    ("claim", True),
    ("reply", False),
    ("reply", True),
)


class WaitStore(ABC):
    """Tickets of a period [start, end), optionally of one territory (EPCI)."""

    @abstractmethod
    async def ticket_funnel(
        self, start: float, end: float, territory: str | None = None
    ) -> TicketFunnel:
        """The period's tickets counted in the store."""

    @abstractmethod
    async def waits_to_store(
        self, start: float, end: float, territory: str | None = None
    ) -> list[WaitToStore]:
        """The period's tickets whose stored waits do not match their claim or first reply."""

    @abstractmethod
    async def store_waits(self, waits: list[Waits]) -> None:
        """Record waits computed for the claim and first reply given (ignored if since moved)."""

    @abstractmethod
    async def waits_at(
        self,
        step: Step,
        office: bool,
        ranks: list[int],
        start: float,
        end: float,
        territory: str | None = None,
    ) -> list[float | None]:
        """The stored waits at these 0-based ranks of their ascending order (None: past the end)."""
