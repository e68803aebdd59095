"""A youth on the website chat, as a test sees it: real WebSocket, real server."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import ClientWebSocketResponse, WSMsgType
from aiohttp.test_utils import TestClient

from bot.channels.webchat import token_id
from tests.support.resources import of as resources_of

_ids = itertools.count(1)


class ChatClient:
    """Sends what a youth would, returns what the bot answered to it."""

    def __init__(self, client: TestClient, ws: ClientWebSocketResponse) -> None:
        self.client = client
        self.ws = ws
        self.conversation: str | None = None
        self.history: list[dict[str, Any]] = []
        self.actions = 0

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(
        cls, client: TestClient, conversation: str | None = None, src: str | None = None
    ) -> AsyncIterator[ChatClient]:
        params = {}
        if conversation:
            params["conversation"] = conversation
        if src:
            params["src"] = src
        ws = await client.ws_connect("/chat/ws", params=params)
        chat = cls(client, ws)
        chat.conversation = conversation
        first = await ws.receive_json(timeout=5)
        if first["type"] == "session":
            chat.conversation = first["conversation"]
        elif first["type"] == "history":
            chat.history = first["messages"]
        try:
            yield chat
        finally:
            await ws.close()

    @property
    def user_id(self) -> str:
        """The id the store keeps for this chat: its token's hash, never the token."""
        return token_id(self.conversation or "")

    async def settle(self) -> None:
        """Wait until the server has processed and sent everything pending."""
        runtime = resources_of(self.client.app)
        for _ in range(500):
            await runtime.dispatcher.idle()
            if await runtime.store.outbox_backlog() == 0 and not runtime.dispatcher._workers:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("server did not settle")

    async def _frames(self, acked: str | None = None) -> list[dict[str, Any]]:
        """Frames the server sent back, once it saved the message and did all its work."""
        frames = []
        while acked is not None:
            frame = await self.ws.receive_json(timeout=5)
            if frame.get("type") == "ack" and frame.get("id") == acked:
                break
            frames.append(frame)
            if frame.get("type") == "error":
                return frames
        await self.settle()
        while True:
            try:
                msg = await self.ws.receive(timeout=0.02)
            except TimeoutError:
                return frames
            if msg.type != WSMsgType.TEXT:
                return frames
            frame = msg.json()
            if frame.get("type") != "ack":
                frames.append(frame)

    async def say(self, text: str, msg_id: str | None = None) -> list[dict[str, Any]]:
        self.actions += 1
        msg_id = msg_id or f"m{next(_ids)}"
        await self.ws.send_json({"type": "message", "text": text, "id": msg_id})
        return await self._frames(acked=msg_id)

    async def tap(self, payload: str, msg_id: str | None = None) -> list[dict[str, Any]]:
        self.actions += 1
        msg_id = msg_id or f"b{next(_ids)}"
        await self.ws.send_json({"type": "button", "payload": payload, "id": msg_id})
        return await self._frames(acked=msg_id)

    async def send_raw(self, data: str) -> list[dict[str, Any]]:
        await self.ws.send_str(data)
        return await self._frames()


def texts(frames: list[dict[str, Any]]) -> str:
    """All message texts of a batch of frames, joined: what the youth read."""
    return "\n".join(f.get("text", "") for f in frames if f.get("type") == "message")


def payloads(frames: list[dict[str, Any]]) -> list[str]:
    """The button payloads offered by the last message of a batch."""
    messages = [f for f in frames if f.get("type") == "message"]
    return [b["payload"] for b in messages[-1]["buttons"]] if messages else []
