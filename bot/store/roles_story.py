"""A youth's whole story: a closed ticket taken up again."""

from __future__ import annotations

from abc import ABC, abstractmethod


class StoryStore(ABC):
    """Moves on a youth's earlier tickets."""

    @abstractmethod
    async def reopen_ticket(self, ticket_id: str, staff_id: int, now: float) -> bool:
        """Reopen a closed ticket, held by `staff_id`; its conversation goes quiet again.

        One conditional write of the conversation (version bumped, mode `human`, the ticket
        its current one) and the ticket (assigned, outcome cleared), audited without personal
        data. False when the ticket is not closed, its conversation has another open ticket,
        or it was erased.
        """
