"""The service's shared objects, one typed `web.AppKey` each, and the inbox channels write to.

Each key is set by whatever creates its object: `create_app` for what exists before start-up
(settings, store, channels, clock, live hub, metrics), a cleanup context of `bot.lifecycle`
for what start-up builds (texts, flow dependencies, engine, dispatcher, sender). A handler
reads them from `request.config_dict`, so a sub-app sees its parent's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.base import Channel
from bot.dispatcher import Dispatcher
from bot.engine import Engine
from bot.flows.prompts import FlowDeps
from bot.live import LiveHub
from bot.media_fetch import MediaFetcher
from bot.metrics import Metrics
from bot.reminders import Reminders
from bot.sender import Sender
from bot.settings import Settings
from bot.store.base import Store
from bot.texts import Texts

if TYPE_CHECKING:
    from bot.events import InboundEvent

Clock = Callable[[], float]

SETTINGS = web.AppKey("settings", Settings)
STORE = web.AppKey("store", Store)
CHANNELS: web.AppKey[dict[str, Channel]] = web.AppKey("channels")
CLOCK: web.AppKey[Clock] = web.AppKey("clock")
INSTANCE = web.AppKey("instance", str)  # the owner of this process's leases
LIVE = web.AppKey("live", LiveHub)
METRICS = web.AppKey("metrics", Metrics)
TEXTS = web.AppKey("texts", Texts)
FLOW = web.AppKey("flow_deps", FlowDeps)
ENGINE = web.AppKey("engine", Engine)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
SENDER = web.AppKey("sender", Sender)
REMINDERS = web.AppKey("reminders", Reminders)
MEDIA = web.AppKey("media_fetcher", MediaFetcher)


class AppInbox:
    """The `Inbox` of every channel: saves an event, then wakes its conversation's worker."""

    def __init__(self, app: web.Application) -> None:
        self._app = app

    @property
    def texts(self) -> Texts:
        return self._app[TEXTS]

    async def ingest(self, event: InboundEvent) -> bool:
        """Save one inbound event and wake its worker. False for a duplicate."""
        app = self._app
        saved = await app[STORE].ingest(event, app[CLOCK]())
        if saved is None:
            return False
        app[DISPATCHER].notify(saved[0])
        return True

    async def ingest_many(self, events: list[InboundEvent]) -> int:
        """Save a webhook's whole batch in one unit of work; returns how many were new."""
        app = self._app
        saved = await app[STORE].ingest_many(events, app[CLOCK]()) if events else []
        for result in saved:
            if result is not None:
                app[DISPATCHER].notify(result[0])
        return sum(r is not None for r in saved)

    async def seen(self, channel: str, reads: list[tuple[str, float]]) -> None:
        """Move each known conversation's read watermark; dashboards showing it update live."""
        app = self._app
        store = app[STORE]
        for user_id, watermark in reads:
            conversation = await store.find_conversation(channel, user_id)
            if conversation is not None and await store.set_seen(conversation.id, watermark):
                app[LIVE].publish(
                    "seen", conversation_id=conversation.id, ticket_id=conversation.ticket_id
                )


INBOX = web.AppKey("inbox", AppInbox)


def wake_sender(app: web.Application) -> Callable[[], None]:
    """A hook that wakes the sender after a commit, whenever the sender exists."""

    def wake() -> None:
        app[SENDER].wake()

    return wake
