"""The app factory: one aiohttp application, every resource's life in a cleanup context."""

from __future__ import annotations

import asyncio
import functools
import html
import importlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import structlog
from aiohttp import web

import handoff
from bot import headers, metrics, proxy, sockets
from bot.channels.base import Channel
from bot.channels.webchat import webchat_from
from bot.dispatcher import Dispatcher
from bot.engine import Engine
from bot.errors import ConfigError
from bot.events import InboundEvent
from bot.flows import prompts
from bot.flows.prompts import FlowDeps
from bot.live import LiveHub
from bot.media_fetch import MediaFetcher
from bot.mediatypes import parse_types
from bot.metrics import Metrics
from bot.nlu.communes import CommuneIndex
from bot.nlu.reading import default_reader
from bot.officehours import OfficeHours
from bot.reminders import Reminders
from bot.retention import Retention
from bot.sender import Sender
from bot.settings import Settings
from bot.store.base import Store, StoreUnavailable
from bot.store.factory import build_store, instance_name, setting_name
from bot.territories import seed_default
from bot.texts import Texts

log = structlog.get_logger(__name__)

# Channel modules beyond the web chat. Each has `build(settings, store) -> list[Channel]`:
# empty when its settings are absent, ConfigError naming the setting when half-configured.
CHANNEL_MODULES = ("bot.channels.meta", "bot.channels.telegram")


@functools.cache
def _communes() -> CommuneIndex:
    return CommuneIndex.load()


class Runtime:
    """The live objects of one running service, shared by routes, channels and the handoff."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        channels: dict[str, Channel],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.store = store
        self.channels = channels
        self.clock = clock
        self.instance = instance_name()  # the owner of this process's leases
        self.live = LiveHub()
        self.metrics = Metrics()
        self.texts: Texts
        self.deps: FlowDeps
        self.engine: Engine
        self.dispatcher: Dispatcher
        self.sender: Sender
        self.started = False

    async def ingest(self, event: InboundEvent) -> bool:
        """Save an inbound event and wake its conversation's worker. False for a duplicate."""
        saved = await self.store.ingest(event, self.clock())
        if saved is None:
            return False
        self.dispatcher.notify(saved[0])
        return True

    async def ingest_many(self, events: list[InboundEvent]) -> int:
        """Save a webhook's whole batch in one unit of work; returns how many were new."""
        saved = await self.store.ingest_many(events, self.clock()) if events else []
        for result in saved:
            if result is not None:
                self.dispatcher.notify(result[0])
        return sum(r is not None for r in saved)

    def wake_sender(self) -> None:
        self.sender.wake()

    async def _prepare(self) -> None:
        s = self.settings
        try:
            office = OfficeHours.parse(s.office_days, s.office_hours, s.timezone)
        except ValueError as exc:
            raise ConfigError(
                f"MILOMOUV_OFFICE_DAYS / MILOMOUV_OFFICE_HOURS / MILOMOUV_TIMEZONE: {exc}"
            ) from None
        self.texts = await asyncio.to_thread(Texts.load, s.texts_file)
        communes = await asyncio.to_thread(_communes)
        reader = await asyncio.to_thread(default_reader)  # a bad phrase file stops start-up here
        self.deps = FlowDeps(
            texts=self.texts,
            communes=communes,
            office=office,
            privacy_url=s.privacy_link,
            mission_locale_contact=s.mission_locale_contact,
            mission_locale_finder_url=s.mission_locale_finder_url,
            retention_unfinished_days=s.retention_unfinished_days,
            retention_closed_days=s.retention_closed_days,
            reader=reader,
        )
        try:
            await self.store.open()
        except StoreUnavailable as exc:
            raise ConfigError(f"{setting_name(s)}: {exc}") from None
        await seed_default(self.store, communes, self.clock())
        # A store shared by several instances relays live events between them.
        relay = getattr(self.store, "live_relay", None)
        if relay is not None:
            self.live.relay = relay()
        self.engine = Engine(
            self.store,
            self.deps,
            self.live,
            privacy_version=self.texts("meta.privacy_version"),
            clock=self.clock,
            after_commit=self.wake_sender,
        )
        self.dispatcher = Dispatcher(
            self.store,
            self.engine,
            s.max_concurrent_conversations,
            self.metrics,
            owner=self.instance,
        )
        self.sender = Sender(
            self.store,
            self.channels,
            self.live,
            max_attempts=s.send_max_attempts,
            max_concurrent=s.max_concurrent_conversations,
            clock=self.clock,
            metrics=self.metrics,
            owner=self.instance,
        )
        self.retention = Retention(
            self.store,
            s.retention_unfinished_days,
            s.retention_closed_days,
            self.clock,
            owner=self.instance,
        )
        self.reminders = Reminders(
            self.store,
            self.deps,
            clock=self.clock,
            owner=self.instance,
            after_commit=self.wake_sender,
        )
        self.media = MediaFetcher(
            self.store,
            self.channels,
            self.texts,
            self.live,
            max_bytes=s.media_max_bytes,
            types=parse_types(s.media_types),
            clock=self.clock,
            owner=self.instance,
            after_commit=self.wake_sender,
        )

    async def lifecycle(self, app: web.Application) -> AsyncIterator[None]:
        await self._prepare()
        started: list[Channel] = []
        try:
            for channel in self.channels.values():
                await channel.start()
                started.append(channel)
            log.info(
                "started",
                store=self.store.location,
                channels=sorted(self.channels),
                listen=f"{self.settings.host}:{self.settings.port}",
            )
            await self.live.start()
            await self.dispatcher.start()
            await self.sender.start()
            self.started = True
            async with self.retention.running(), self.reminders.running(), self.media.running():
                yield
        finally:
            log.info("stopping")
            if self.started:
                await self.dispatcher.stop()
                await self.sender.stop()
            await self.live.stop()
            for channel in reversed(started):
                await channel.stop()
            await self.store.close()
            log.info("stopped")


RUNTIME = web.AppKey("runtime", Runtime)


def build_channels(settings: Settings, store: Store) -> dict[str, Channel]:
    channels: dict[str, Channel] = {"web": webchat_from(settings, store)}
    for module_name in CHANNEL_MODULES:
        module = importlib.import_module(module_name)
        for channel in module.build(settings, store):
            channels[channel.name] = channel
    return channels


def create_app(
    settings: Settings, *, store: Store | None = None, clock: Callable[[], float] = time.time
) -> web.Application:
    """The whole service as one aiohttp application (no I/O until it starts)."""
    store = store or build_store(settings)
    runtime = Runtime(settings, store, build_channels(settings, store), clock)
    forwarded = proxy.middleware(metrics.parse_networks(settings.trusted_proxies))
    app = web.Application(
        client_max_size=settings.max_body_bytes, middlewares=[forwarded, _store_unavailable]
    )
    app[RUNTIME] = runtime
    for channel in runtime.channels.values():
        channel.register(app, runtime)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/confidentialite", _privacy_page)
    app.router.add_get("/metrics", _metrics)
    app.on_startup.append(sockets.on_startup)
    app.cleanup_ctx.append(runtime.lifecycle)
    handoff.mount(app, runtime)
    https = settings.public_url.lower().startswith("https://")
    app.on_response_prepare.append(headers.secure_headers(https))  # last: pages' own go first
    return app


@web.middleware
async def _store_unavailable(request: web.Request, handler: Any) -> web.StreamResponse:
    """A page or route that needs the store while it is away: a clear 503, never a 500."""
    try:
        return await handler(request)
    except StoreUnavailable:
        log.warning("store_unavailable", during="request", path=request.rel_url.path[:64])
        runtime = request.app[RUNTIME]
        message = runtime.texts("service.unavailable")
        page = (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>MiloMouv'</title></head><body><p>{html.escape(message)}</p></body></html>"
        )
        return web.Response(
            text=page, status=503, content_type="text/html", headers={"Retry-After": "5"}
        )


async def _healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    store_ok = await runtime.store.ping()
    backlog = None
    if store_ok:
        try:
            backlog = await runtime.store.outbox_backlog()
        except StoreUnavailable:
            store_ok = False
    body = {
        "status": "ok" if store_ok else "unavailable",
        "store": "ok" if store_ok else "unavailable",
        "outbox_backlog": backlog,
        "channels": sorted(runtime.channels),
    }
    return web.json_response(body, status=200 if store_ok else 503)


async def _metrics(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    s = runtime.settings
    token = s.metrics_token.get_secret_value() if s.metrics_token else None
    if not metrics.allowed(request, token, metrics.parse_networks(s.metrics_allow)):
        raise web.HTTPForbidden(text="forbidden")
    await runtime.metrics.refresh(runtime.store, runtime.clock())
    return metrics.exposition(runtime.metrics)


async def _privacy_page(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    notice = prompts.privacy_notice(runtime.deps, "web").text
    carriers = ", ".join(
        runtime.texts(f"privacy.carrier_{c}") for c in ("messenger", "instagram", "telegram")
    )
    body = "".join(f"<p>{html.escape(line)}</p>" for line in notice.splitlines() if line.strip())
    page = (
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Confidentialité — MiloMouv'</title>"
        "<link rel='stylesheet' href='/static/chat.css'></head><body>"
        "<header class='top'><h1>Confidentialité</h1><p>Réseau MiloMouv'</p></header>"
        f"<main>{body}<p>{html.escape('Messageries utilisées : ' + carriers + '.')}</p>"
        "<p><a href='/'>Retour au chat</a></p></main></body></html>"
    )
    return web.Response(text=page, content_type="text/html")
