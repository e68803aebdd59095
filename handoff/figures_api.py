"""GET /api/stats: the coordinator's figures as JSON, and the service object behind them."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from handoff.api import Api, _json
from handoff.figures import Figures, parse_period

if TYPE_CHECKING:
    from aiohttp.web import Request


def figures_for(deps: Any) -> Figures:
    return Figures(deps.store, deps.flow.office, deps.settings.yearly_goal)


async def figures_of(deps: Any, request: Request) -> dict[str, Any]:
    """Parse the period from the query and compute its figures."""
    now = deps.clock()
    today = datetime.datetime.fromtimestamp(now, deps.flow.office.tz).date()
    start, end, territory = parse_period(request.query, today)
    return await figures_for(deps).compute(start, end, territory, now)


class FiguresApi:
    """The route, sharing the API's auth and JSON helpers."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def register(self, app: web.Application) -> None:
        app.router.add_get("/stats", self.stats, allow_head=False)

    async def stats(self, request: web.Request) -> web.Response:
        await self.api.auth.require(request, role="coordinator")
        return _json(await figures_of(self.api.deps, request))
