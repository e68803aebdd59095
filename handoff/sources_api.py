"""The sources' JSON routes under /api/: list, create and archive (coordinator only)."""

from __future__ import annotations

from aiohttp import web

from handoff.api import Api, _body, _json
from handoff.errors import Invalid
from handoff.sources import Sources


class SourcesApi:
    """Handlers sharing the API's service, auth and JSON helpers."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.auth = api.auth
        self.sources = Sources(api.service)

    def register(self, app: web.Application) -> None:
        app.router.add_get("/sources", self.list_sources, allow_head=False)
        app.router.add_post("/sources", self.create)
        app.router.add_post("/sources/{id}/archive", self.archive)

    async def list_sources(self, request: web.Request) -> web.Response:
        await self.auth.require(request, role="coordinator")
        archived = request.query.get("archived", "true")
        if archived not in ("true", "false"):
            raise Invalid("api.error_query")
        return _json({"sources": await self.sources.listed(archived=archived == "true")})

    async def create(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        return _json({"source": await self.sources.create(staff, await _body(request))}, 201)

    async def archive(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        source = await self.sources.archive(staff, request.match_info["id"])
        return _json({"source": source})
