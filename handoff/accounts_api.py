"""Account routes under /api/: invitations, roles, reset links, and one's own password."""

from __future__ import annotations

from aiohttp import web

from bot.proxy import same_site
from handoff import views
from handoff.account_admin import AccountAdmin
from handoff.api import MAX_ID, Api, _body, _json, _req
from handoff.errors import Forbidden, NotFound, NotJson, NotLoggedIn


def staff_id(request: web.Request) -> int:
    raw = request.match_info["id"]
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise NotFound("api.error_staff_not_found")
    return int(raw)


class AccountsApi:
    """Handlers sharing the API's service, auth and JSON helpers."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.auth = api.auth
        self.admin = AccountAdmin(api.service)

    def register(self, app: web.Application) -> None:
        app.router.add_post("/staff/invitations", self.invite)
        app.router.add_post("/staff/{id}/role", self.role)
        app.router.add_post("/staff/{id}/reset-link", self.reset_link)
        app.router.add_post("/password-reset", self.redeem)
        app.router.add_post("/me/password", self.change_own)

    async def invite(self, request: web.Request) -> web.Response:
        actor = await self.auth.require(request, role="coordinator", csrf=True)
        staff, link = await self.admin.invite(actor, await _body(request))
        return _json({"staff": views.staff_view(staff, full=True), "reset": link.view()}, 201)

    async def role(self, request: web.Request) -> web.Response:
        actor = await self.auth.require(request, role="coordinator", csrf=True)
        changed = await self.admin.set_role(actor, staff_id(request), await _body(request))
        return _json({"staff": views.staff_view(changed, full=True)})

    async def reset_link(self, request: web.Request) -> web.Response:
        actor = await self.auth.require(request, role="coordinator", csrf=True)
        link = await self.admin.reset_link(actor, staff_id(request))
        return _json({"reset": link.view()}, 201)

    async def redeem(self, request: web.Request) -> web.Response:
        await request.read()
        # Public, like the login: only our own pages' JSON, never a cross-site form.
        if request.content_type != "application/json":
            raise NotJson()
        if not same_site(request, self.api.deps.settings.public_url):
            raise Forbidden("api.error_origin")
        data = await _body(request)
        await self.admin.redeem(_req(data, "token"), _req(data, "password"))
        return web.Response(status=204)

    async def change_own(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        found = await self.auth.identify(request, touch=False)
        if found is None:
            raise NotLoggedIn()
        data = await _body(request)
        current, new = _req(data, "current_password"), _req(data, "password")
        address = request.remote or "unknown"
        await self.admin.change_own(staff, found[1].id_hash, current, new, address)
        return web.Response(status=204)
