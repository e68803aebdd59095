"""The structures' JSON routes under /api/: read and edit territories (coordinator only)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from handoff.api import Api, _body, _json
from handoff.errors import Invalid
from handoff.territories import Territories

ONE = "/structures/{id}"


class TerritoriesApi:
    """Handlers sharing the API's service, auth and JSON helpers."""

    def __init__(self, api: Api) -> None:
        self.auth = api.auth
        self.territories = Territories(api.service)

    def register(self, app: web.Application) -> None:
        router = app.router
        router.add_get("/structures", self.list_structures, allow_head=False)
        router.add_get(ONE, self.structure, allow_head=False)
        router.add_put(ONE, self.put)
        router.add_delete(ONE, self.remove)
        router.add_post(f"{ONE}/areas", self.add_area)
        router.add_post(f"{ONE}/areas/remove", self.remove_area)
        router.add_put(f"{ONE}/members", self.add_member)
        router.add_post(f"{ONE}/members/remove", self.remove_member)

    async def list_structures(self, request: web.Request) -> web.Response:
        await self.auth.require(request, role="coordinator")
        return _json({"structures": await self.territories.listed()})

    async def structure(self, request: web.Request) -> web.Response:
        await self.auth.require(request, role="coordinator")
        found = await self.territories.get(request.match_info["id"])
        members = await self.territories.store.memberships()
        return _json({"structure": self.territories.view(found, members)})

    async def put(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        sid = request.match_info["id"]
        view = await self.territories.put(staff, sid, await _body(request))
        return _json({"structure": view})

    async def remove(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        await self.territories.remove(staff, request.match_info["id"])
        return _json({"ok": True})

    async def add_area(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        data = await _body(request)
        kind, area = data.get("kind", "commune"), data.get("area")
        if not isinstance(kind, str):
            raise Invalid("api.error_field_type", field="kind")
        view = await self.territories.add_area(staff, request.match_info["id"], kind, area)
        return _json({"structure": view})

    async def remove_area(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        data = await _body(request)
        kind, code = data.get("kind", "commune"), data.get("code")
        if not isinstance(kind, str):
            raise Invalid("api.error_field_type", field="kind")
        if not isinstance(code, str) or not code:
            raise Invalid("api.error_field_type", field="code")
        view = await self.territories.remove_area(staff, request.match_info["id"], kind, code)
        return _json({"structure": view})

    async def add_member(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        sid = request.match_info["id"]
        await self.territories.get(sid)
        await self.territories.set_member(staff, _staff_id(await _body(request)), sid)
        return _json({"ok": True})

    async def remove_member(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        sid = request.match_info["id"]
        await self.territories.get(sid)
        member = _staff_id(await _body(request))
        if (await self.territories.store.memberships()).get(member) == sid:
            await self.territories.set_member(staff, member, None)
        return _json({"ok": True})


def _staff_id(data: dict[str, Any]) -> int:
    value = data.get("staff_id")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Invalid("api.error_field_type", field="staff_id")
    return value
