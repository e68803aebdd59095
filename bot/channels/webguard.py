"""Limits of the website chat per client address, not per socket: one client cannot take it all.

Counts live in memory (they protect this process; a restart forgets them, which is fine for
limits measured in seconds to an hour). Every map is pruned as it is read, so an attacker
rotating addresses leaves nothing behind once their windows pass.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

PRUNE_EVERY = 1024  # calls between sweeps of the rate maps


@dataclass(frozen=True, slots=True)
class ChatLimits:
    """The chat's limits, from the settings."""

    max_sockets: int = 600
    max_sockets_per_address: int = 30
    idle_seconds: float = 900.0
    messages_per_minute_per_address: int = 60
    messages_per_10s_per_conversation: int = 20
    new_conversations_per_minute: int = 5
    new_conversations_per_hour: int = 20


class Window:
    """Events per key in a sliding window."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._events: dict[str, deque[float]] = {}
        self._calls = 0

    def hit(self, key: str, limit: int, now: float) -> bool:
        """Count one event for `key`; False (and not counted) when the window is already full."""
        self._calls += 1
        if self._calls % PRUNE_EVERY == 0:
            self._sweep(now)
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.seconds:
            events.popleft()
        if len(events) >= limit:
            return False
        events.append(now)
        return True

    def _sweep(self, now: float) -> None:
        stale = [k for k, v in self._events.items() if not v or now - v[-1] >= self.seconds]
        for key in stale:
            del self._events[key]

    def __len__(self) -> int:
        return len(self._events)


class ChatGuard:
    """Admits sockets and counts messages and new conversations per address."""

    def __init__(self, limits: ChatLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._open: dict[str, int] = defaultdict(int)
        self._total = 0
        self._address_minute = Window(60.0)
        self._conversation_10s = Window(10.0)
        self._new_minute = Window(60.0)
        self._new_hour = Window(3600.0)

    @property
    def open_sockets(self) -> int:
        return self._total

    def admit(self, address: str) -> str | None:
        """Take a socket slot for `address`, or the reason it is refused."""
        if self._total >= self.limits.max_sockets:
            return "server_full"
        if self._open[address] >= self.limits.max_sockets_per_address:
            return "too_many_sockets"
        self._open[address] += 1
        self._total += 1
        return None

    def release(self, address: str) -> None:
        self._total -= 1
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]

    def message(self, address: str, conversation: str) -> bool:
        """True when one more message from this address and conversation is within the rates."""
        now = self.clock()
        if not self._conversation_10s.hit(
            conversation, self.limits.messages_per_10s_per_conversation, now
        ):
            return False
        return self._address_minute.hit(address, self.limits.messages_per_minute_per_address, now)

    def new_conversation(self, address: str) -> bool:
        """True when this address may open one more conversation (a burst and an hourly cap)."""
        now = self.clock()
        if not self._new_minute.hit(address, self.limits.new_conversations_per_minute, now):
            return False
        return self._new_hour.hit(address, self.limits.new_conversations_per_hour, now)
