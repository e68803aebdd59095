"""The website chat: a small page at `/` and a WebSocket at `/chat/ws`."""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar

import structlog
from aiohttp import WSMsgType, web

from bot.channels.base import Channel, Inbox
from bot.events import InboundEvent, OutboxItem
from bot.store.base import Store, StoreUnavailable

log = structlog.get_logger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "web"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_SOURCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_FRAME_BYTES = 16 * 1024
RATE_WINDOW_SECONDS = 10.0
RATE_MAX_MESSAGES = 20
HISTORY_LINES = 200


class WebChat(Channel):
    """Youth-facing chat on the network's website; history is the store's thread."""

    name: ClassVar[str] = "web"
    max_buttons: ClassVar[int] = 13
    max_text: ClassVar[int] = 4000

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sockets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)

    def register(self, app: web.Application, inbox: Inbox) -> None:
        self._inbox = inbox
        app.router.add_get("/", self._page)
        app.router.add_get("/chat/ws", self._socket)
        app.router.add_static("/static/", STATIC_DIR, name="static", append_version=True)

    async def _page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(
            STATIC_DIR / "index.html",
            headers={
                "Cache-Control": "no-cache",
                "Content-Security-Policy": "default-src 'self'; connect-src 'self' ws: wss:; "
                "img-src 'self' data:; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=30.0, max_msg_size=MAX_FRAME_BYTES)
        await ws.prepare(request)
        token = request.query.get("conversation", "")
        source = request.query.get("src", "")
        source = source if _SOURCE.fullmatch(source) else None
        if not _TOKEN.fullmatch(token):
            token = secrets.token_urlsafe(24)
            await ws.send_json({"type": "session", "conversation": token})
        else:
            await self._send_history(ws, token)
        self._sockets[token].add(ws)
        sent_times: list[float] = []
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                now = time.monotonic()
                sent_times = [t for t in sent_times if now - t < RATE_WINDOW_SECONDS] + [now]
                if len(sent_times) > RATE_MAX_MESSAGES:
                    await ws.send_json({"type": "error", "error": "too_fast"})
                    continue
                await self._receive(ws, token, source, msg.data)
        finally:
            self._sockets[token].discard(ws)
            if not self._sockets[token]:
                del self._sockets[token]
        return ws

    async def _send_history(self, ws: web.WebSocketResponse, token: str) -> None:
        try:
            conversation = await self.store.find_conversation(self.name, token)
            lines = await self.store.thread(conversation.id, HISTORY_LINES) if conversation else []
        except StoreUnavailable:
            await ws.send_json({"type": "error", "error": "unavailable"})
            return
        await ws.send_json(
            {
                "type": "history",
                "messages": [
                    {
                        "from": line.author,
                        "text": line.text,
                        "buttons": [{"title": t, "payload": p} for t, p in line.buttons],
                    }
                    for line in lines
                ],
            }
        )

    async def _receive(
        self, ws: web.WebSocketResponse, token: str, source: str | None, raw: str
    ) -> None:
        event = self._parse(token, source, raw)
        if event is None:
            await ws.send_json({"type": "error", "error": "invalid_message"})
            return
        try:
            await self._inbox.ingest(event)
        except StoreUnavailable:
            await ws.send_json({"type": "error", "error": "unavailable"})
            return
        # Saved: the page may forget it. Until then it resends it, with the same id.
        await ws.send_json({"type": "ack", "id": event.event_id.partition(":")[2]})

    def _parse(self, token: str, source: str | None, raw: str) -> InboundEvent | None:
        try:
            data: Any = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        kind, client_id = data.get("type"), data.get("id")
        if not isinstance(client_id, str) or not _CLIENT_ID.fullmatch(client_id):
            client_id = uuid.uuid4().hex
        event_id = f"{token}:{client_id}"
        if kind == "message" and isinstance(data.get("text"), str) and data["text"].strip():
            return InboundEvent(
                self.name, token, event_id, "text", text=data["text"][:4000], source=source
            )
        if kind == "button" and isinstance(data.get("payload"), str) and data["payload"]:
            return InboundEvent(
                self.name, token, event_id, "button", payload=data["payload"][:256], source=source
            )
        return None

    async def send(self, item: OutboxItem) -> None:
        """Push to every open tab of this conversation; the thread keeps it for a reload."""
        text, buttons = self.fit_buttons(item.reply)
        frame = {
            "type": "message",
            "text": text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in buttons],
            "from": item.reply.author,
        }
        for ws in list(self._sockets.get(item.user_id, ())):
            if not ws.closed:
                try:
                    await ws.send_json(frame)
                except (ConnectionError, RuntimeError):
                    log.info("web_socket_gone", outbox=item.id)

    async def stop(self) -> None:
        for sockets in list(self._sockets.values()):
            for ws in list(sockets):
                await ws.close()
