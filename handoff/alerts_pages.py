"""The dashboard's side of the watch: the push service worker, and starting the watch loop."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from handoff.alerts import Alerts
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff
    from handoff.watch import Watch

WORKER = Path(__file__).resolve().parent / "static" / "push-worker.js"
WORKER_URL = "/handoff/push-worker.js"


def mount_watch(
    app: web.Application, deps: HandoffDeps, alerts: Alerts, key: web.AppKey[Watch]
) -> None:
    """The watch loop, its pushes and the events that become pushes, in cleanup contexts."""
    from handoff.push import Pusher
    from handoff.push_events import PushEvents
    from handoff.watch import Watch

    pusher = Pusher(deps.store, deps.settings, deps.clock)
    watch = Watch(deps, deps.store, alerts, pusher)
    app[key] = watch
    app.cleanup_ctx.append(watch.lifecycle)
    app.cleanup_ctx.append(PushEvents(deps, pusher, lambda: watch.leading).lifecycle)


def setup(app: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    app.router.add_get(WORKER_URL.removeprefix("/handoff"), ServiceWorker().handle)


class ServiceWorker:
    """The push worker, served under /handoff/ so that its scope covers the dashboard."""

    def __init__(self) -> None:
        self._body: bytes | None = None

    async def handle(self, request: web.Request) -> web.Response:
        if self._body is None:
            self._body = await asyncio.to_thread(WORKER.read_bytes)
        return web.Response(
            body=self._body,
            content_type="text/javascript",
            headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/handoff/"},
        )
