"""The app factory: one aiohttp application, every resource's life in a cleanup context."""

from __future__ import annotations

import html
import importlib
import time
from collections.abc import Callable
from typing import Any

import structlog
from aiohttp import web

import handoff
from bot import headers, lifecycle, metrics, proxy, sockets
from bot.channels.base import Channel
from bot.channels.webchat import webchat_from
from bot.flows import prompts
from bot.live import LiveHub
from bot.metrics import Metrics
from bot.resources import (
    CHANNELS,
    CLOCK,
    FLOW,
    INBOX,
    INSTANCE,
    LIVE,
    METRICS,
    SETTINGS,
    STORE,
    TEXTS,
    AppInbox,
)
from bot.settings import Settings
from bot.store.base import Store, StoreUnavailable
from bot.store.factory import build_store, instance_name

log = structlog.get_logger(__name__)

# Channel modules beyond the web chat. Each has `build(settings, store) -> list[Channel]`:
# empty when its settings are absent, ConfigError naming the setting when half-configured.
CHANNEL_MODULES = ("bot.channels.meta", "bot.channels.telegram")


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
    channels = build_channels(settings, store)
    forwarded = proxy.middleware(metrics.parse_networks(settings.trusted_proxies))
    app = web.Application(
        client_max_size=settings.max_body_bytes, middlewares=[forwarded, _store_unavailable]
    )
    app[SETTINGS], app[STORE], app[CHANNELS], app[CLOCK] = settings, store, channels, clock
    app[INSTANCE], app[LIVE], app[METRICS] = instance_name(), LiveHub(), Metrics()
    inbox = app[INBOX] = AppInbox(app)
    for channel in channels.values():
        channel.register(app, inbox)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/confidentialite", _privacy_page)
    app.router.add_get("/metrics", _metrics)
    app.on_startup.append(sockets.on_startup)
    lifecycle.install(app)
    handoff.mount(app)
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
        message = request.config_dict[TEXTS]("service.unavailable")
        page = (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>MiloMouv'</title></head><body><p>{html.escape(message)}</p></body></html>"
        )
        return web.Response(
            text=page, status=503, content_type="text/html", headers={"Retry-After": "5"}
        )


async def _healthz(request: web.Request) -> web.Response:
    store, channels = request.app[STORE], request.app[CHANNELS]
    store_ok = await store.ping()
    backlog = None
    if store_ok:
        try:
            backlog = await store.outbox_backlog()
        except StoreUnavailable:
            store_ok = False
    body = {
        "status": "ok" if store_ok else "unavailable",
        "store": "ok" if store_ok else "unavailable",
        "outbox_backlog": backlog,
        "channels": sorted(channels),
    }
    return web.json_response(body, status=200 if store_ok else 503)


async def _metrics(request: web.Request) -> web.Response:
    app = request.app
    s = app[SETTINGS]
    token = s.metrics_token.get_secret_value() if s.metrics_token else None
    if not metrics.allowed(request, token, metrics.parse_networks(s.metrics_allow)):
        raise web.HTTPForbidden(text="forbidden")
    await app[METRICS].refresh(app[STORE], app[CLOCK]())
    return metrics.exposition(app[METRICS])


async def _privacy_page(request: web.Request) -> web.Response:
    texts = request.app[TEXTS]
    notice = prompts.privacy_notice(request.app[FLOW], "web").text
    carriers = ", ".join(
        texts(f"privacy.carrier_{c}") for c in ("messenger", "instagram", "telegram")
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
