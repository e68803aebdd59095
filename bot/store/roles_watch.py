"""Nobody waits unseen: held tickets whose youth has no human answer, and staff who are away.

A held ticket's wait starts at the youth's first line after the counsellor's last answer (or at
the claim, when nobody answered yet), never before the claim. Each alert step is recorded once
per wait, so a restart or a second instance does not repeat it. A counsellor is away when
marked absent, or when no session of theirs is live; the instant they were first seen away is
recorded, so the requeue delay survives a restart.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

from bot.store.records import Ticket


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A held ticket whose youth waits for a human answer since `since`."""

    ticket: Ticket
    since: float


@dataclass(frozen=True, slots=True)
class Away:
    """A counsellor's absence: marked by hand (`absent`), and since when they were away."""

    staff_id: int
    absent: bool
    since: float | None


class WatchStore(ABC):
    """Unanswered held tickets, their alert steps, and the away records of staff."""

    @abstractmethod
    async def unanswered_claims(self, limit: int = 1000) -> list[Unanswered]:
        """Held tickets whose youth waits for a human answer, longest wait first."""

    @abstractmethod
    async def mark_watch(self, ticket_id: str, step: str, since: float, now: float) -> bool:
        """Record an alert step for one wait; False when it was already recorded."""

    @abstractmethod
    async def live_staff(self, seen_since: float) -> set[int]:
        """Staff with a session used at or after `seen_since`."""

    @abstractmethod
    async def set_absent(self, staff_id: int, absent: bool, now: float) -> None:
        """Mark a counsellor absent (away from now) or back (away record cleared)."""

    @abstractmethod
    async def away_records(self, staff_ids: Iterable[int] | None = None) -> dict[int, Away]:
        """The away records of these staff (all when None)."""

    @abstractmethod
    async def mark_away(self, staff_id: int, now: float) -> float:
        """Note a counsellor seen away; returns since when (an earlier record is kept)."""

    @abstractmethod
    async def clear_away(self, staff_id: int) -> None:
        """A counsellor seen back: drop the record unless they marked themselves absent."""
