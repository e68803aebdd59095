"""Replies sent by another process, shown live in this process's web-chat tabs.

With several processes (MILOMOUV_PROCESSES) or several instances on MongoDB, a youth's tab is
open on one of them while the reply may be sent by another. The sender's "delivered" event,
relayed to every process, tells the one holding the tab to show that line of the thread, as a
reload would. Single-process services never start this (their sender pushes to the tabs).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import structlog
from aiohttp import web

from bot.channels import webchat_media
from bot.live import LiveEvent, LiveHub
from bot.store.base import Store, StoreUnavailable
from bot.store.records import ThreadEntry

log = structlog.get_logger(__name__)

# Outbox ids pushed by this process: their own "delivered" event is not shown twice.
PUSHED_KEPT = 4096
# Conversations looked up: the web chat's user id, or None for another channel's (a
# conversation never changes channel or user, so an entry never goes stale).
OWNERS_KEPT = 16_384
LOOKBACK_LINES = 20  # a delivered line is among the thread's last ones


def line_frame(line: ThreadEntry, media: dict[str, str] | None) -> dict[str, Any]:
    """One thread line as the page shows it (history or live)."""
    return {
        "from": line.author,
        "text": line.text,
        "buttons": [{"title": t, "payload": p} for t, p in line.buttons],
        "media": media,
    }


class RelayedReplies:
    """Follows the relayed "delivered" events and pushes their line to this process's tabs."""

    def __init__(
        self,
        store: Store,
        sockets: Mapping[str, set[web.WebSocketResponse]],
        texts: Callable[[str], str],
    ) -> None:
        self.store = store
        self._sockets = sockets  # the channel's open tabs, by chat user id
        self._texts = texts
        self._pushed: OrderedDict[int, None] = OrderedDict()
        self._owners: OrderedDict[str, str | None] = OrderedDict()

    def pushed_here(self, outbox_id: int) -> None:
        _remember(self._pushed, outbox_id, None, PUSHED_KEPT)

    async def follow(self, live: LiveHub) -> None:
        async with live.subscribe() as queue:
            while True:
                event = await queue.get()
                if event.kind == "delivered" and self._sockets:
                    try:
                        await self._show(event)
                    except StoreUnavailable:
                        # The tab shows the line at its next reload, from the thread.
                        log.info("web_relayed_unavailable", outbox=event.data.get("outbox_id"))
                    except Exception as exc:  # one bad event must not end the following
                        log.error("web_relayed_failed", error=type(exc).__name__)

    async def _show(self, event: LiveEvent) -> None:
        outbox_id, conversation_id = event.data.get("outbox_id"), event.data.get("conversation_id")
        if not isinstance(outbox_id, int) or not isinstance(conversation_id, str):
            return
        if outbox_id in self._pushed:
            return  # sent by this process, which pushed it already
        user_id = await self._owner_of(conversation_id)
        if user_id is None or not self._sockets.get(user_id):
            return
        line_id = await self.store.thread_id_of_outbox(outbox_id)
        lines = await self.store.thread(conversation_id, LOOKBACK_LINES)
        line = next((x for x in reversed(lines) if x.id == line_id), None)
        if line is None:
            return
        files = await webchat_media.history_media(self.store, conversation_id, self._texts)
        frame = {"type": "message", **line_frame(line, files.get(line.id))}
        for ws in list(self._sockets.get(user_id, ())):
            if not ws.closed:
                try:
                    await ws.send_json(frame)
                except (ConnectionError, RuntimeError):
                    log.info("web_socket_gone", outbox=outbox_id)

    async def _owner_of(self, conversation_id: str) -> str | None:
        if conversation_id in self._owners:
            return self._owners[conversation_id]
        conversation = await self.store.get_conversation(conversation_id)
        user_id = conversation.user_id if conversation and conversation.channel == "web" else None
        _remember(self._owners, conversation_id, user_id, OWNERS_KEPT)
        return user_id


def _remember(kept: OrderedDict[Any, Any], key: Any, value: Any, most: int) -> None:
    kept[key] = value
    kept.move_to_end(key)
    if len(kept) > most:
        kept.popitem(last=False)
