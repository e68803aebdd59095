"""The running service's objects as tests reach them: one typed app key each."""

from __future__ import annotations

from aiohttp import web

from bot.dispatcher import Dispatcher
from bot.engine import Engine
from bot.events import InboundEvent
from bot.media_fetch import MediaFetcher
from bot.reminders import Reminders
from bot.resources import DISPATCHER, ENGINE, INBOX, MEDIA, REMINDERS, SENDER
from bot.sender import Sender
from handoff.deps import HandoffDeps


class Resources(HandoffDeps):
    """What handoff sees, plus the workers a test waits on or drives."""

    @property
    def engine(self) -> Engine:
        return self._app[ENGINE]

    @property
    def dispatcher(self) -> Dispatcher:
        return self._app[DISPATCHER]

    @property
    def sender(self) -> Sender:
        return self._app[SENDER]

    @property
    def reminders(self) -> Reminders:
        return self._app[REMINDERS]

    @property
    def media(self) -> MediaFetcher:
        return self._app[MEDIA]

    async def ingest(self, event: InboundEvent) -> bool:
        return await self._app[INBOX].ingest(event)


def of(app: web.Application) -> Resources:
    return Resources(app)
