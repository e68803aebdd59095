"""Canned replies one by one under /api/: create, edit or move, delete (coordinator)."""

from __future__ import annotations

from aiohttp import web

from handoff.api import Api, _body, _json
from handoff.canned import Canned


class CannedApi:
    """POST /canned-replies, PATCH and DELETE /canned-replies/{id}."""

    def __init__(self, api: Api) -> None:
        self.auth = api.auth
        self.canned = Canned(api.service)

    def register(self, app: web.Application) -> None:
        app.router.add_post("/canned-replies", self.create)
        app.router.add_patch("/canned-replies/{id}", self.edit)
        app.router.add_delete("/canned-replies/{id}", self.delete)

    async def create(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        return _json({"reply": await self.canned.create(staff, await _body(request))}, 201)

    async def edit(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        item = await self.canned.edit(staff, request.match_info["id"], await _body(request))
        return _json({"reply": item})

    async def delete(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        await self.canned.delete(staff, request.match_info["id"])
        return web.Response(status=204)
