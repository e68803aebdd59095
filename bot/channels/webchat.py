"""The website chat: a small page at `/` and a WebSocket at `/chat/ws`."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import secrets
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar

import structlog
from aiohttp import WSCloseCode, WSMsgType, web

from bot.channels import embed, webchat_media
from bot.channels.base import Channel, Inbox
from bot.channels.webchat_relayed import RelayedReplies, line_frame
from bot.channels.webguard import ChatGuard, ChatLimits
from bot.events import InboundEvent, OutboxItem
from bot.jsonlimits import loads_limited
from bot.live import LiveHub
from bot.resources import LIVE
from bot.settings import Settings
from bot.store.base import Store, StoreUnavailable
from bot.store.roles_media import Media

log = structlog.get_logger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "web"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_SOURCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_FRAME_BYTES = 16 * 1024
HISTORY_LINES = 200


class WebChat(Channel):
    """Youth-facing chat on the network's website; history is the store's thread."""

    name: ClassVar[str] = "web"
    max_buttons: ClassVar[int] = 13
    max_text: ClassVar[int] = 4000

    def __init__(
        self,
        store: Store,
        limits: ChatLimits | None = None,
        *,
        public_url: str = "",
        embed_origins: list[str] | None = None,
    ) -> None:
        self.store = store
        self.guard = ChatGuard(limits or ChatLimits())
        self.public_url = public_url
        self.embed_origins = embed_origins or []
        self._sockets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        self._live: LiveHub | None = None
        self._relayed = RelayedReplies(store, self._sockets, lambda key: self._inbox.texts(key))
        self._follower: asyncio.Task[None] | None = None

    def register(self, app: web.Application, inbox: Inbox) -> None:
        self._inbox = inbox
        self._live = app[LIVE]
        app.router.add_get("/", self._page)
        app.router.add_get("/chat/ws", self._socket)
        app.router.add_get(webchat_media.ROUTE, webchat_media.handler(self.store))
        app.router.add_get("/widget.js", embed.widget_handler(lambda key: inbox.texts(key)))
        app.router.add_static("/static/", STATIC_DIR, name="static", append_version=True)

    async def _page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(
            STATIC_DIR / "index.html",
            headers={
                "Cache-Control": "no-cache",
                "Content-Security-Policy": embed.chat_csp(
                    request, self.public_url, self.embed_origins
                ),
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if not embed.origin_allowed(request, self.public_url, self.embed_origins):
            log.info("web_socket_origin_refused")
            return _refusal(403, "origin")
        address = request.remote or "unknown"
        refused = self.guard.admit(address)
        if refused is not None:
            log.info("web_socket_refused", reason=refused)
            return _refusal(503 if refused == "server_full" else 429, refused)
        try:
            return await self._serve(request, address)
        finally:
            self.guard.release(address)

    async def _serve(self, request: web.Request, address: str) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=30.0, max_msg_size=MAX_FRAME_BYTES)
        await ws.prepare(request)
        token = request.query.get("conversation", "")
        given = request.query.get("src", "")
        source = given if _SOURCE.fullmatch(given) else None
        user_id = await self._known_user(ws, token) if _TOKEN.fullmatch(token) else None
        known = user_id is not None  # else its first message opens a new conversation
        if user_id is None:
            if not _TOKEN.fullmatch(token):
                token = secrets.token_urlsafe(24)
                await ws.send_json({"type": "session", "conversation": token})
            user_id = token_id(token)
        self._sockets[user_id].add(ws)
        idle = self.guard.limits.idle_seconds
        try:
            while True:
                try:
                    msg = await ws.receive(timeout=idle)
                except TimeoutError:
                    await ws.close(code=WSCloseCode.GOING_AWAY, message=b"idle")
                    break
                if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                    break
                if msg.type == WSMsgType.ERROR:
                    log.info("web_socket_error", error=type(ws.exception()).__name__)
                    break
                if msg.type != WSMsgType.TEXT:
                    continue
                if not self.guard.message(address, user_id):
                    await ws.send_json({"type": "error", "error": "too_fast"})
                    continue
                event = self._parse(user_id, source, msg.data)
                if event is None:
                    await ws.send_json({"type": "error", "error": "invalid_message"})
                    continue
                if not known:
                    known = await self._exists(user_id)
                    if not known and not self.guard.new_conversation(address):
                        log.info("web_new_conversation_refused")
                        await ws.send_json(
                            {
                                "type": "error",
                                "error": "too_many_conversations",
                                "text": self._inbox.texts("webchat.too_many_conversations"),
                            }
                        )
                        continue
                if await self._receive(ws, event):
                    known = True
        finally:
            self._sockets[user_id].discard(ws)
            if not self._sockets[user_id]:
                del self._sockets[user_id]
        return ws

    async def _known_user(self, ws: web.WebSocketResponse, token: str) -> str | None:
        """The stored id of a returning chat: its token's hash, or the token itself for a chat
        begun before tokens were hashed (it keeps working). None for an unknown token."""
        for user_id in (token_id(token), token):
            try:
                conversation = await self.store.find_conversation(self.name, user_id)
            except StoreUnavailable:
                await ws.send_json({"type": "error", "error": "unavailable"})
                return token_id(token)
            if conversation is not None:
                await self._send_history(ws, conversation.id)
                return user_id
        await ws.send_json({"type": "history", "messages": []})
        return None

    async def _exists(self, user_id: str) -> bool:
        try:
            return await self.store.find_conversation(self.name, user_id) is not None
        except StoreUnavailable:
            return True  # the message itself will be refused as unavailable

    async def _send_history(self, ws: web.WebSocketResponse, conversation_id: str) -> None:
        try:
            lines = await self.store.thread(conversation_id, HISTORY_LINES)
            files = await webchat_media.history_media(
                self.store, conversation_id, self._inbox.texts
            )
        except StoreUnavailable:
            await ws.send_json({"type": "error", "error": "unavailable"})
            return
        await ws.send_json(
            {
                "type": "history",
                "messages": [line_frame(line, files.get(line.id)) for line in lines],
            }
        )

    async def _receive(self, ws: web.WebSocketResponse, event: InboundEvent) -> bool:
        """Save one frame; True once it is stored."""
        try:
            await self._inbox.ingest(event)
        except StoreUnavailable:
            await ws.send_json({"type": "error", "error": "unavailable"})
            return False
        # Saved: the page may forget it. Until then it resends it, with the same id.
        await ws.send_json({"type": "ack", "id": event.event_id.partition(":")[2]})
        return True

    def _parse(self, user_id: str, source: str | None, raw: str) -> InboundEvent | None:
        data = loads_limited(raw)
        if data is None:
            return None
        if not isinstance(data, dict):
            return None
        kind, client_id = data.get("type"), data.get("id")
        if not isinstance(client_id, str) or not _CLIENT_ID.fullmatch(client_id):
            client_id = uuid.uuid4().hex
        event_id = f"{user_id}:{client_id}"
        if kind == "message" and isinstance(data.get("text"), str) and data["text"].strip():
            return InboundEvent(
                self.name, user_id, event_id, "text", text=data["text"][:4000], source=source
            )
        if kind == "button" and isinstance(data.get("payload"), str) and data["payload"]:
            return InboundEvent(
                self.name, user_id, event_id, "button", payload=data["payload"][:256], source=source
            )
        return None

    async def send(self, item: OutboxItem) -> None:
        """Push to every open tab of this conversation; the thread keeps it for a reload."""
        await self._push(item, None)

    async def start(self) -> None:
        if self._live is not None and self._live.relay is not None:
            # Other processes send replies too: their tabs here must show them.
            self._follower = asyncio.create_task(self._relayed.follow(self._live))

    async def _push(self, item: OutboxItem, media: dict[str, str] | None) -> None:
        self._relayed.pushed_here(item.id)
        text, buttons = self.fit_buttons(item.reply)
        frame: dict[str, Any] = {
            "type": "message",
            "text": text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in buttons],
            "from": item.reply.author,
        }
        if media is not None:
            frame["media"] = media
        for ws in list(self._sockets.get(item.user_id, ())):
            if not ws.closed:
                try:
                    await ws.send_json(frame)
                except (ConnectionError, RuntimeError):
                    log.info("web_socket_gone", outbox=item.id)

    async def send_media(self, item: OutboxItem, media: Media, content: bytes) -> None:
        """The youth's page shows the file from its link; the text goes with it."""
        await self._push(item, webchat_media.frame_part(media, self._inbox.texts))

    async def stop(self) -> None:
        if self._follower is not None:
            self._follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._follower
        # All at once: a silent client makes its close wait for a timeout, not everyone's.
        sockets = [ws for group in self._sockets.values() for ws in group]
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


def token_id(token: str) -> str:
    """What the store keeps for a chat token: its SHA-256, so no stored id opens the chat."""
    return "h" + hashlib.sha256(token.encode()).hexdigest()


def is_live_token(user_id: str) -> bool:
    """True for a stored id that is a chat's token itself (a chat begun before hashing)."""
    return _TOKEN.fullmatch(user_id) is not None  # a hash has 65 characters: never matches


def _refusal(status: int, reason: str) -> web.Response:
    """A refused socket, and its connection closed: a refused client keeps no descriptor."""
    response = web.json_response({"error": reason}, status=status, headers={"Retry-After": "30"})
    response.force_close()
    return response


def webchat_from(settings: Settings, store: Store) -> WebChat:
    """The web chat with its limits and embedding origins from the settings."""
    limits = ChatLimits(
        max_sockets=settings.chat_max_sockets,
        max_sockets_per_address=settings.chat_max_sockets_per_address,
        idle_seconds=float(settings.chat_idle_seconds),
        messages_per_minute_per_address=settings.chat_messages_per_minute,
        messages_per_10s_per_conversation=settings.chat_conversation_messages_per_10s,
        new_conversations_per_minute=settings.chat_new_conversations_per_minute,
        new_conversations_per_hour=settings.chat_new_conversations_per_hour,
    )
    origins = embed.parse_origins(settings.embed_origins)
    return WebChat(store, limits, public_url=settings.public_url, embed_origins=origins)
