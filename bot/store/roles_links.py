"""Two conversations of the same youth on different channels, linked by a counsellor.

A link is never made automatically: a counsellor confirms it, and can undo it. Making and
undoing are audited with ids only, in the same write.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class LinkStore(ABC):
    """Counsellor-confirmed links between conversations."""

    @abstractmethod
    async def link_conversations(self, a: str, b: str, staff_id: int, now: float) -> bool:
        """Link two distinct existing conversations; False when already linked or unknown."""

    @abstractmethod
    async def unlink_conversations(self, a: str, b: str, staff_id: int, now: float) -> bool:
        """Undo a link; False when there was none."""

    @abstractmethod
    async def linked_conversations(self, conversation_id: str) -> list[str]:
        """The conversations linked to this one, oldest link first."""
