"""The load generator: youths posting webhooks and waiting for replies seen at the fakes.

Closed loop (saturation): a fixed number of youths, each sending its next message as soon as
the previous one was answered. Open loop (offered load): messages leave at a fixed rate, each
from a youth whose previous reply has arrived, or from a new youth when none is ready, so the
bot's slowness never slows the arrivals down (up to a bound on messages in flight).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field

import aiohttp

from bench.youths import Youth

POST_ATTEMPTS = 5  # a webhook not answered 200 is sent again, as the platforms do


@dataclass
class Phase:
    """What one phase measured."""

    name: str
    started: float = 0.0
    seconds: float = 0.0  # while messages were being offered
    last_ack: float = 0.0
    last_reply: float = 0.0
    posting: int = 0  # webhooks sent and not answered yet
    offered: int = 0
    refused_by_generator: int = 0  # open loop: the bound on messages in flight was reached
    acked: int = 0
    failed: int = 0
    replies: int = 0
    reply_timeouts: int = 0
    youths: int = 0
    completed: int = 0
    ack_latency: list[float] = field(default_factory=list)
    reply_latency: list[float] = field(default_factory=list)
    step_latency: dict[int, list[float]] = field(default_factory=dict)  # by script step
    channel_latency: dict[str, list[float]] = field(default_factory=dict)


class Observer:
    """Follows the fakes' stream of deliveries and wakes the youth each reply is for."""

    def __init__(self, control_url: str) -> None:
        self.url = control_url
        self._waiters: dict[str, asyncio.Future[float]] = {}
        self.unexpected = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self, session: aiohttp.ClientSession) -> None:
        ready = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._follow(session, ready))
        await asyncio.wait_for(ready, 10)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def expect(self, youth: Youth) -> asyncio.Future[float]:
        future = asyncio.get_running_loop().create_future()
        self._waiters[youth.key] = future
        return future

    def forget(self, youth: Youth) -> None:
        self._waiters.pop(youth.key, None)

    async def _follow(self, session: aiohttp.ClientSession, ready: asyncio.Future[None]) -> None:
        timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
        async with session.get(f"{self.url}/events", timeout=timeout) as resp:
            await resp.content.readline()
            ready.set_result(None)
            async for line in resp.content:
                channel, user, at = line.decode().rstrip("\n").split("\t")
                future = self._waiters.pop(f"{channel}:{user}", None)
                if future is None or future.done():
                    self.unexpected += 1
                else:
                    future.set_result(float(at))


async def post(session: aiohttp.ClientSession, url: str, youth: Youth, phase: Phase) -> bool:
    """Send the youth's next message until it is acknowledged; False if it never was."""
    path, body, headers = youth.request()
    for _ in range(POST_ATTEMPTS):
        started = time.monotonic()
        phase.posting += 1
        try:
            async with session.post(url + path, data=body, headers=headers) as resp:
                await resp.read()
                ok = resp.status == 200
        except (TimeoutError, aiohttp.ClientError):
            ok = False
        finally:
            phase.posting -= 1
        if ok:
            phase.last_ack = time.monotonic()
            phase.ack_latency.append(phase.last_ack - started)
            phase.acked += 1
            youth.acked += 1
            return True
        await asyncio.sleep(0.2)
    phase.failed += 1
    return False


async def turn(
    session: aiohttp.ClientSession,
    url: str,
    youth: Youth,
    phase: Phase,
    observer: Observer | None,
    reply_timeout: float,
) -> bool:
    """One message and, with an observer, its reply; True when the youth may go on."""
    future = observer.expect(youth) if observer else None
    youth.sent_at = time.monotonic()
    phase.offered += 1
    if not await post(session, url, youth, phase):
        if observer:
            observer.forget(youth)
        return False
    youth.step += 1
    if future is None:
        return True
    try:
        at = await asyncio.wait_for(future, reply_timeout)
    except TimeoutError:
        phase.reply_timeouts += 1
        observer.forget(youth)  # type: ignore[union-attr]
        return False
    phase.replies += 1
    phase.last_reply = time.monotonic()
    phase.reply_latency.append(at - youth.sent_at)
    phase.step_latency.setdefault(youth.step - 1, []).append(at - youth.sent_at)
    phase.channel_latency.setdefault(youth.channel, []).append(at - youth.sent_at)
    if youth.done:
        phase.completed += 1
    return True


async def closed_loop(
    session: aiohttp.ClientSession,
    url: str,
    phase: Phase,
    *,
    seconds: float,
    concurrency: int,
    observer: Observer | None,
    reply_timeout: float = 30.0,
    youths: list[Youth] | None = None,
    channel: str | None = None,
) -> None:
    """`concurrency` youths (of one channel, or both), each starting a new intake when one
    ends, for `seconds`."""
    phase.started = time.monotonic()
    deadline = phase.started + seconds

    async def one() -> None:
        while time.monotonic() < deadline:
            youth = Youth.new(channel)
            phase.youths += 1
            if youths is not None:
                youths.append(youth)
            while not youth.done and time.monotonic() < deadline:
                if not await turn(session, url, youth, phase, observer, reply_timeout):
                    break
            if observer is None and youth.done:
                phase.completed += 1

    await asyncio.gather(*(one() for _ in range(concurrency)))
    phase.seconds = min(seconds, time.monotonic() - phase.started)


async def open_loop(
    session: aiohttp.ClientSession,
    url: str,
    phase: Phase,
    *,
    rate: float,
    seconds: float,
    observer: Observer,
    max_in_flight: int,
    reply_timeout: float = 30.0,
    youths: list[Youth] | None = None,
) -> None:
    """Messages at `rate` per second for `seconds`, then wait for the last replies.

    `max_in_flight` bounds the webhooks awaiting their acknowledgement; youths awaiting a
    reply are only futures.
    """
    ready: deque[Youth] = deque()
    tasks: set[asyncio.Task[None]] = set()

    async def send(youth: Youth) -> None:
        if await turn(session, url, youth, phase, observer, reply_timeout) and not youth.done:
            ready.append(youth)

    phase.started = time.monotonic()
    total = int(rate * seconds)
    for k in range(total):
        delay = phase.started + k / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if phase.posting >= max_in_flight:
            phase.refused_by_generator += 1
            continue
        if ready:
            youth = ready.popleft()
        else:
            youth = Youth.new()
            phase.youths += 1
            if youths is not None:
                youths.append(youth)
        task = asyncio.create_task(send(youth))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    phase.seconds = time.monotonic() - phase.started
    if tasks:
        await asyncio.gather(*tasks)
