"""What the handoff side uses of the service, handed to it explicitly by `handoff.mount`.

Each attribute reads one typed `web.AppKey` of the service's application (`bot.resources`):
settings, store, channels, clock, live hub exist when the app is built; texts, the flow's
dependencies and the sender exist once start-up has run the cleanup context that creates them,
which is before any request or background loop of the handoff side.
"""

from __future__ import annotations

from aiohttp import web

from bot.channels.base import Channel
from bot.flows.prompts import FlowDeps
from bot.live import LiveHub
from bot.resources import CHANNELS, CLOCK, FLOW, INSTANCE, LIVE, SENDER, SETTINGS, STORE, TEXTS
from bot.settings import Settings
from bot.store.base import Store
from bot.texts import Texts


class HandoffDeps:
    """The service's resources as the handoff side sees them (read-only)."""

    def __init__(self, app: web.Application) -> None:
        self._app = app

    @property
    def settings(self) -> Settings:
        return self._app[SETTINGS]

    @property
    def store(self) -> Store:
        return self._app[STORE]

    @property
    def channels(self) -> dict[str, Channel]:
        return self._app[CHANNELS]

    @property
    def live(self) -> LiveHub:
        return self._app[LIVE]

    @property
    def instance(self) -> str:
        return self._app[INSTANCE]

    @property
    def texts(self) -> Texts:
        return self._app[TEXTS]

    @property
    def flow(self) -> FlowDeps:
        return self._app[FLOW]

    def clock(self) -> float:
        return self._app[CLOCK]()

    def wake_sender(self) -> None:
        """Have the sender deliver what a commit just queued."""
        self._app[SENDER].wake()
