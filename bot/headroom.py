"""Reply work gives way to acknowledgements when the event loop is busy.

Webhooks and replies share one event loop, which runs every ready callback once per turn.
Under a load above what the bot can reply to, the dispatcher's and the sender's steps would
fill each turn, and a webhook, which needs a few turns to be acknowledged, would wait behind
hundreds of them. So reply work is admitted a few pieces per turn, and only when a turn of the
loop is short: while turns are long the webhooks' callbacks go first, and the replies wait in
the durable inbox and outbox instead.
"""

from __future__ import annotations

import asyncio
from collections import deque

# A turn longer than this means the loop has more ready work than it keeps up with.
BUSY_TURN_SECONDS = 0.004
BACKOFF_SECONDS = 0.005
# Bounded: under an overload of webhooks alone, replies still go out, more slowly.
MAX_WAIT_SECONDS = 0.1
PER_TURN = 4


class Headroom:
    """An admission queue for reply work: `per_turn` pieces per short turn of the loop."""

    def __init__(
        self,
        per_turn: int = PER_TURN,
        busy_turn: float = BUSY_TURN_SECONDS,
        backoff: float = BACKOFF_SECONDS,
        max_wait: float = MAX_WAIT_SECONDS,
    ) -> None:
        self.per_turn = per_turn
        self.busy_turn = busy_turn
        self.backoff = backoff
        self.max_wait = max_wait
        self._queue: deque[tuple[float, asyncio.Future[None]]] = deque()
        self._admitter: asyncio.Task[None] | None = None
        self.backed_off = 0  # turns found busy (metrics, tests)

    async def wait(self) -> None:
        """Return when this piece of work is admitted."""
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[None] = loop.create_future()
        self._queue.append((loop.time(), turn))
        if self._admitter is None or self._admitter.done():
            self._admitter = asyncio.create_task(self._admit(), name="headroom")
        await turn

    async def _admit(self) -> None:
        loop = asyncio.get_running_loop()
        while self._queue:
            started = loop.time()
            await asyncio.sleep(0)  # to the back of the ready queue: one whole turn
            now = loop.time()
            oldest = self._queue[0][0] if self._queue else now
            if now - started >= self.busy_turn and now - oldest < self.max_wait:
                self.backed_off += 1
                await asyncio.sleep(self.backoff)
                continue
            admitted = 0
            while self._queue and admitted < self.per_turn:
                _, turn = self._queue.popleft()
                if not turn.done():  # a cancelled waiter takes no place
                    turn.set_result(None)
                    admitted += 1
