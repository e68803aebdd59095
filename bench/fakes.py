"""The loopback fakes of the Graph API and the Bot API as one standalone process.

`python -m bench.fakes` starts the test suite's `FakeGraph` and `FakeTelegram`, plus a control
server, all on 127.0.0.1, and prints their ports as one JSON line. Every reply the bot delivers
is streamed to `GET /events` as a line `channel<TAB>user<TAB>monotonic time of arrival`, so the
load generator (another process on the same machine, same monotonic clock) sees when each youth
got its answer. `GET /summary` gives, per recipient, how many replies arrived and how many of
them repeated the previous one (a duplicate). Calls are folded into counters as they arrive, so
memory stays flat over a long run.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
import zlib
from collections import Counter
from typing import Any

from aiohttp import web

from tests.support.fake_meta import FakeGraph
from tests.support.fake_telegram import FakeTelegram


class Deliveries:
    """Every reply delivered, per recipient, and the subscribers that want to hear of them."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.repeats: Counter[str] = Counter()
        self._last: dict[str, int] = {}  # recipient -> checksum of the last text
        self._subscribers: list[asyncio.Queue[bytes]] = []

    def add(self, channel: str, user: str, text: str, at: float) -> None:
        key = f"{channel}:{user}"
        digest = zlib.crc32(text.encode())
        if self._last.get(key) == digest:
            self.repeats[key] += 1
        self._last[key] = digest
        self.count[key] += 1
        line = f"{channel}\t{user}\t{at:.6f}\n".encode()
        for queue in self._subscribers:
            queue.put_nowait(line)

    def subscribe(self) -> asyncio.Queue[bytes]:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        self._subscribers.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[bytes]) -> None:
        self._subscribers.remove(queue)


class StreamingGraph(FakeGraph):
    """The fake Graph API, reporting each delivered message and forgetting the call."""

    def __init__(self, deliveries: Deliveries) -> None:
        super().__init__()
        self.deliveries = deliveries
        self.typing = 0

    async def _messages(self, request: web.Request) -> web.Response:
        response = await super()._messages(request)
        now = time.monotonic()  # the call's own stamp is wall-clock time
        # No await between a call's recording and its answer: every call listed is finished.
        for call in self.calls:
            if call.delivered and call.message and call.recipient:
                self.deliveries.add("messenger", call.recipient, call.message["text"], now)
            elif call.delivered:
                self.typing += 1
        self.calls.clear()
        return response


class StreamingTelegram(FakeTelegram):
    """The fake Bot API, reporting each accepted sendMessage and forgetting the call."""

    def __init__(self, deliveries: Deliveries) -> None:
        super().__init__()
        self.deliveries = deliveries
        self.methods: Counter[str] = Counter()

    async def _handle(self, request: web.Request) -> web.Response:
        response = await super()._handle(request)
        for call in self.calls:
            self.methods[call.method] += 1
            if call.method == "sendMessage" and call.status == 200:
                self.deliveries.add("telegram", call.chat_id, call.text, call.at)
        self.calls.clear()
        return response


def control_app(
    deliveries: Deliveries, graph: StreamingGraph, telegram: StreamingTelegram
) -> web.Application:
    """The routes the load generator reads: the stream of deliveries and the final summary."""

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        await response.prepare(request)
        queue = deliveries.subscribe()
        try:
            await response.write(b"ready\n")
            while True:
                lines = [await queue.get()]
                while not queue.empty():
                    lines.append(queue.get_nowait())
                await response.write(b"".join(lines))
        finally:
            deliveries.unsubscribe(queue)

    async def summary(request: web.Request) -> web.Response:
        body: dict[str, Any] = {
            "users": {k: [n, deliveries.repeats[k]] for k, n in deliveries.count.items()},
            "problems": [
                *[f"graph: unexpected {c.method} {c.path}" for c in graph.unexpected],
                *[f"graph: invalid call ({why})" for _, why in graph.invalid],
                *telegram.problems,
            ],
            "typing": graph.typing,
            "telegram_methods": dict(telegram.methods),
        }
        return web.json_response(body)

    app = web.Application()
    app.router.add_get("/events", events)
    app.router.add_get("/summary", summary)
    return app


async def serve() -> None:
    deliveries = Deliveries()
    graph = await StreamingGraph(deliveries).start()
    telegram = await StreamingTelegram(deliveries).start()
    # The event stream never ends by itself: do not wait the default minute for it at exit.
    runner = web.AppRunner(
        control_app(deliveries, graph, telegram), access_log=None, shutdown_timeout=1.0
    )
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    ports = {
        "graph": graph.base_url,
        "graph_version": graph.version,
        "telegram": telegram.base_url,
        "control": f"http://127.0.0.1:{runner.addresses[0][1]}",
        "started": time.monotonic(),
    }
    print(json.dumps(ports), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await telegram.stop()
    await graph.stop()


if __name__ == "__main__":
    asyncio.run(serve())
