"""Presence: how far a youth has read the conversation (Messenger and Instagram read events)."""

from __future__ import annotations

from abc import ABC, abstractmethod


class PresenceStore(ABC):
    """The read watermark of each conversation."""

    @abstractmethod
    async def set_seen(self, conversation_id: str, watermark: float) -> bool:
        """Record that the youth has read everything sent up to `watermark` (epoch seconds).

        The watermark only moves forward: an older or equal one changes nothing and returns
        False (a redelivered or late read event); True when it moved.
        """

    @abstractmethod
    async def seen_until(self, conversation_id: str) -> float | None:
        """The conversation's read watermark, None before any read event."""
