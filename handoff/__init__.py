"""Counsellor handoff: tickets, queue, dashboard and JSON API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import structlog
from aiohttp import web

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.app import Runtime
    from handoff.alerts import Alerts
    from handoff.api import Api
    from handoff.auth import Auth
    from handoff.service import Handoff
    from handoff.watch import Watch

log = structlog.get_logger(__name__)

# Imports happen in `mount`, so `main.py user …` starts without loading the web side.
SERVICE: web.AppKey[Handoff] = web.AppKey("handoff_service")
AUTH: web.AppKey[Auth] = web.AppKey("handoff_auth")
ALERTS: web.AppKey[Alerts] = web.AppKey("handoff_alerts")
API: web.AppKey[Api] = web.AppKey("handoff_api")
WATCH: web.AppKey[Watch] = web.AppKey("handoff_watch")


def mount(app: web.Application, runtime: Runtime) -> None:
    """Add the dashboard (/handoff/) and the JSON API (/api/) to the service."""
    from handoff import (
        alerts_pages,
        dashboard,
        figures_pages,
        media_pages,
        settings_pages,
        sources_pages,
        texts_pages,
    )
    from handoff.alerts import Alerts
    from handoff.api import Api
    from handoff.auth import Auth, common_passwords
    from handoff.meetings import check_catalogue
    from handoff.service import Handoff

    store = runtime.store
    secure = runtime.settings.public_url.lower().startswith("https://")
    auth = Auth(store, runtime.clock, secure_cookies=secure)
    service = Handoff(runtime, store, auth)
    alerts = Alerts(runtime, store)
    api = Api(runtime, service)
    app[SERVICE], app[AUTH], app[ALERTS], app[API] = service, auth, alerts, api

    async def first_start(app: web.Application) -> AsyncIterator[None]:
        await asyncio.to_thread(common_passwords)  # read once, off the event loop
        problems = check_catalogue(runtime.texts)
        if problems:
            raise ConfigError("texts: " + "; ".join(problems))
        link = await auth.setup_link(runtime.settings.public_url)
        if link is not None:
            # The one place a secret is logged, on purpose: whoever runs the service opens it.
            log.warning("no_staff_account_open_this_link_once", setup_url=link, valid_hours=24)
        yield

    app.cleanup_ctx.append(first_start)
    app.cleanup_ctx.append(alerts.lifecycle)
    alerts_pages.mount_watch(app, runtime, alerts, WATCH)
    app.add_subapp("/api/", api.app())
    dashboard.setup(app, runtime, service)
    sources_pages.setup(app, runtime, service)
    figures_pages.setup(app, runtime, service)
    settings_pages.setup(app, runtime, service)
    from handoff import territories_pages

    territories_pages.setup(app, runtime, service)
    alerts_pages.setup(app, runtime, service)
    texts_pages.setup(app, runtime, service)
    media_pages.setup(app, runtime, service)
