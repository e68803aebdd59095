"""The store role of the stalled-intake reminder: which conversations stopped mid-intake."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection

from bot.store.records import Conversation

# The scratch key that records the reminder: its presence means it was sent (or is committed).
NUDGED_AT = "nudged_at"


class NudgeStore(ABC):
    """Conversations a reminder may be due to; the caller's policy decides, `commit` records."""

    @abstractmethod
    async def stalled_conversations(
        self, states: Collection[str], idle_before: float, limit: int = 100
    ) -> list[Conversation]:
        """Conversations in bot mode, consented, in one of `states`, never reminded.

        Their youth last wrote at or before `idle_before`, nothing from them waits in the
        inbox, and `scratch` has no `nudged_at`. Oldest last message first, at most `limit`.
        """
