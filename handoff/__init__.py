"""Counsellor handoff: tickets, queue, dashboard and JSON API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import structlog
from aiohttp import web

from bot.errors import ConfigError
from bot.store.base import StoreUnavailable

if TYPE_CHECKING:
    from handoff.alerts import Alerts
    from handoff.api import Api
    from handoff.auth import Auth
    from handoff.service import Handoff
    from handoff.watch import Watch

log = structlog.get_logger(__name__)

SETUP_LEASE = "first_start_link"
SETUP_LEASE_SECONDS = 120.0

# Imports happen in `mount`, so `main.py user …` starts without loading the web side.
SERVICE: web.AppKey[Handoff] = web.AppKey("handoff_service")
AUTH: web.AppKey[Auth] = web.AppKey("handoff_auth")
ALERTS: web.AppKey[Alerts] = web.AppKey("handoff_alerts")
API: web.AppKey[Api] = web.AppKey("handoff_api")
WATCH: web.AppKey[Watch] = web.AppKey("handoff_watch")
# The dashboard's page modules, each with `setup(pages, deps, service)` (see handoff.dashboard).
PAGE_MODULES = (
    "handoff.queue_pages",
    "handoff.ticket_page",
    "handoff.login_pages",
    "handoff.live_pages",
    "handoff.sources_pages",
    "handoff.figures_pages",
    "handoff.settings_pages",
    "handoff.territories_pages",
    "handoff.alerts_pages",
    "handoff.texts_pages",
    "handoff.media_pages",
)


def mount(app: web.Application) -> None:
    """Add the dashboard (/handoff/) and the JSON API (/api/) to the service."""
    from handoff import alerts_pages, dashboard, texts_pages
    from handoff.alerts import Alerts
    from handoff.api import Api
    from handoff.auth import Auth, common_passwords
    from handoff.deps import HandoffDeps
    from handoff.meetings import check_catalogue
    from handoff.service import Handoff

    deps = HandoffDeps(app)
    store = deps.store
    secure = deps.settings.public_url.lower().startswith("https://")
    auth = Auth(store, deps.clock, secure_cookies=secure)
    service = Handoff(deps, store, auth)
    alerts = Alerts(deps, store)
    api = Api(deps, service)
    app[SERVICE], app[AUTH], app[ALERTS], app[API] = service, auth, alerts, api

    async def first_start(app: web.Application) -> AsyncIterator[None]:
        await asyncio.to_thread(common_passwords)  # read once, off the event loop
        problems = check_catalogue(deps.texts)
        if problems:
            raise ConfigError("texts: " + "; ".join(problems))
        now = deps.clock()
        # Processes or instances started together print one link, not one each (each new
        # link voids the one before).
        first = await store.try_lease(SETUP_LEASE, deps.instance, now + SETUP_LEASE_SECONDS, now)
        try:
            link = await auth.setup_link(deps.settings.public_url) if first else None
            if link is not None:
                # The one place a secret is logged, on purpose: whoever runs the service opens it.
                log.warning("no_staff_account_open_this_link_once", setup_url=link, valid_hours=24)
            yield
        finally:
            if first:  # a restart of the service prints a fresh link at once
                with contextlib.suppress(StoreUnavailable):
                    await store.release_lease(SETUP_LEASE, deps.instance)

    app.cleanup_ctx.append(first_start)
    app.cleanup_ctx.append(alerts.lifecycle)
    alerts_pages.mount_watch(app, deps, alerts, WATCH)
    texts_pages.install_editor(app, deps, service)
    app.add_subapp("/api/", api.app())
    dashboard.mount(app, deps, service, PAGE_MODULES)
