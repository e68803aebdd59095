"""Login throttling that cannot race and cannot lock others out.

Each attempt is written down *before* its password is checked, so parallel guesses see each
other. Delays grow per (e-mail, address): someone guessing a counsellor's password from one
place slows only themselves, never the counsellor logging in from the office. A looser delay
per address slows spraying across many e-mails.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.store.base import Store
from handoff.errors import Throttled

WINDOW_SECONDS = 15 * 60
PAIR_FREE, ADDRESS_FREE = 3, 20  # failures allowed before any delay
MAX_DELAY_SECONDS = 15 * 60


def delay(failures: int, free: int) -> float:
    """Seconds to wait after `failures` recent failures: 0, then 1, 2, 4 … up to 15 minutes."""
    if failures < free:
        return 0.0
    return float(min(MAX_DELAY_SECONDS, 2 ** (failures - free)))


def wait_for(times: Sequence[float], free: int, now: float) -> float:
    """How long before one more attempt, given earlier failures' times (oldest first)."""
    if not times:
        return 0.0
    return max(0.0, times[-1] + delay(len(times), free) - now)


@dataclass(frozen=True, slots=True)
class Attempt:
    pair_key: str
    address_key: str


class LoginThrottle:
    """Reserves an attempt, then says whether it may go on to the password check."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock

    async def reserve(self, email_digest: str, address: str) -> Attempt:
        """Count this attempt as a failure first; Throttled when it came too soon."""
        attempt = Attempt(f"pair:{email_digest}:{address}", f"ip:{address}")
        now = self.clock()
        await self.store.record_failure([attempt.pair_key], now)
        failures = await self.store.recent_failures(
            [attempt.pair_key, attempt.address_key], now - WINDOW_SECONDS
        )
        # Earlier attempts are those written before ours: drop our own (the latest at `now`).
        pair = list(failures.get(attempt.pair_key, []))
        earlier = list(pair)
        if now in earlier:
            earlier.remove(now)
        from_address = failures.get(attempt.address_key, [])
        if wait_for(earlier, PAIR_FREE, now) > 0 or wait_for(from_address, ADDRESS_FREE, now) > 0:
            # This refused attempt counts too: the wait told is the one that will really hold.
            wait = max(wait_for(pair, PAIR_FREE, now), wait_for(from_address, ADDRESS_FREE, now))
            raise Throttled(max(1, math.ceil(wait)))
        return attempt

    async def failed(self, attempt: Attempt) -> None:
        """A wrong password: the address counts it too (the pair already has it)."""
        await self.store.record_failure([attempt.address_key], self.clock())

    async def succeeded(self, attempt: Attempt) -> None:
        await self.store.clear_failures(attempt.pair_key)
