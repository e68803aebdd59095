"""GET /api/events: the live hub as Server-Sent Events for the dashboard.

Each live event goes out as `event: <kind>` with its data as JSON (ids only, never a youth's
words: the dashboard fetches what it needs). A comment line every 15 s keeps proxies from
closing the stream and lets the server notice a session that ended (logout, expiry, account
disabled): the stream then closes, and the browser's EventSource reconnects and gets a 401.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from aiohttp import web

from bot.live import LiveHub
from bot.store.base import StoreUnavailable
from handoff.auth import Auth

HEARTBEAT_SECONDS = 15.0
_HEADERS = {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",  # nginx: do not buffer the stream
    "X-Content-Type-Options": "nosniff",
}


class EventStream:
    """One handler for every dashboard tab; all streams end when the app shuts down."""

    def __init__(self, live: LiveHub, auth: Auth, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self.live = live
        self.auth = auth
        self.heartbeat = heartbeat
        self._closing = asyncio.Event()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        await self.auth.require(request)
        response = web.StreamResponse(headers=_HEADERS)
        await response.prepare(request)
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            async with self.live.subscribe() as queue:
                await response.write(b"retry: 3000\n\n")
                while not self._closing.is_set():
                    getter = asyncio.ensure_future(queue.get())
                    await asyncio.wait(
                        {getter, closing},
                        timeout=self.heartbeat,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                    if not getter.done():
                        getter.cancel()
                        if self._closing.is_set() or not await self._still_logged_in(request):
                            break
                        await response.write(b": heartbeat\n\n")
                        continue
                    event = getter.result()
                    data = json.dumps(event.data, ensure_ascii=False, default=str)
                    await response.write(f"event: {event.kind}\ndata: {data}\n\n".encode())
        except ConnectionResetError:
            pass  # the tab went away
        finally:
            closing.cancel()
        with contextlib.suppress(ConnectionResetError):
            await response.write_eof()
        return response

    async def _still_logged_in(self, request: web.Request) -> bool:
        try:
            return await self.auth.identify(request, touch=False) is not None
        except StoreUnavailable:
            return True  # a store hiccup does not end the stream; the next beat checks again

    async def shutdown(self, app: web.Application) -> None:
        self._closing.set()
