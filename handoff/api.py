"""The JSON API under /api/ (an aiohttp sub-app), described by /api/openapi.json.

Every route checks the caller on the server: 401 without a session, 403 for a wrong role or
a missing/wrong `X-CSRF-Token` on a state-changing request. Errors are `{"error": "…"}` in
French, from the catalogue; youth-written text only ever leaves as JSON string values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import structlog
from aiohttp import web

from bot.jsonlimits import loads_limited
from bot.proxy import same_site
from bot.store.base import StoreUnavailable
from handoff import search, views
from handoff.accounts import Accounts
from handoff.errors import Forbidden, HandoffError, Invalid, NotFound, NotJson, Throttled
from handoff.events import EventStream
from handoff.openapi import document
from handoff.service import STATUSES, Handoff

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps

log = structlog.get_logger(__name__)

MAX_ID = 2**53
TICKET_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # opaque ids, as the store makes them
_HTTP_KEYS = {404: "api.error_not_found", 405: "api.error_method", 413: "api.error_too_large"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _ticket_id(request: web.Request) -> str:
    raw = request.match_info["id"]
    if not TICKET_ID.fullmatch(raw):
        raise NotFound("api.error_ticket_not_found")
    return raw


async def _body(request: web.Request) -> dict[str, Any]:
    data = loads_limited(await request.read())
    if not isinstance(data, dict):
        raise Invalid("api.error_bad_json")
    return data


def _str(data: dict[str, Any], field: str, *, required: bool = True) -> str | None:
    value = data.get(field)
    if value is None and not required:
        return None
    if value is None:
        raise Invalid("api.error_field_missing", field=field)
    if not isinstance(value, str):
        raise Invalid("api.error_field_type", field=field)
    return value


def _req(data: dict[str, Any], field: str) -> str:
    value = _str(data, field)
    assert value is not None
    return value


def _json(body: Any, status: int = 200, indent: int | None = None) -> web.Response:
    return web.json_response(
        body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False, indent=indent)
    )


class Api:
    """Route handlers; one instance per app, sharing the service and its Auth."""

    def __init__(self, deps: HandoffDeps, service: Handoff) -> None:
        self.deps = deps
        self.service = service
        self.auth = service.auth
        self.accounts = Accounts(service)
        self.events = EventStream(deps.live, service.auth)

    def app(self) -> web.Application:
        api = web.Application(middlewares=[self._errors])
        post = api.router.add_post

        def get(path: str, handler: Handler) -> None:
            api.router.add_get(path, handler, allow_head=False)  # exactly what the document says

        get("/openapi.json", self.openapi)
        post("/setup", self.setup)
        post("/session", self.login)
        api.router.add_delete("/session", self.logout)
        get("/me", self.me)
        get("/tickets", self.tickets)
        get("/tickets/{id}", self.ticket)
        for action in ("claim", "messages", "release", "transfer", "close", "notes", "meetings"):
            post(f"/tickets/{{id}}/{action}", getattr(self, action))
        post("/tickets/{id}/reopen", self.reopen)
        get("/tickets/{id}/export", self.export)
        post("/tickets/{id}/erase", self.erase)
        get("/canned-replies", self.canned)
        api.router.add_put("/canned-replies", self.set_canned)
        get("/staff", self.staff)
        post("/staff", self.add_staff)
        post("/staff/{id}/disable", self.disable_staff)
        get("/territories", self.territories)
        from handoff import settings_api
        from handoff.alerts_api import AlertsApi
        from handoff.figures_api import FiguresApi  # they build on this module's helpers
        from handoff.presence_api import PresenceApi
        from handoff.sources_api import SourcesApi
        from handoff.texts_api import TextsApi

        SourcesApi(self).register(api)
        AlertsApi(self).register(api)
        FiguresApi(self).register(api)
        PresenceApi(self).register(api)
        settings_api.register(self, api)
        from handoff.territories_api import TerritoriesApi

        TerritoriesApi(self).register(api)
        TextsApi(self).register(api)
        get("/events", self.events.handle)
        api.on_shutdown.append(self.events.shutdown)
        return api

    @web.middleware
    async def _errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        texts = self.deps.texts
        resource = request.match_info.route.resource
        route = resource.canonical if resource is not None else None  # ids stay out of logs
        try:
            response = await handler(request)
        except HandoffError as exc:
            response = _json(exc.body(texts), exc.status)
            if isinstance(exc, Throttled):
                response.headers["Retry-After"] = str(exc.retry_after)
        except web.HTTPException as exc:
            key = _HTTP_KEYS.get(exc.status, "api.error_invalid")
            response = _json({"error": texts(key)}, exc.status)
            if "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
        except StoreUnavailable:
            log.warning("store_unavailable", during="api", route=route)
            response = _json({"error": texts("api.error_unavailable")}, 503)
        except Exception as exc:  # by type only: an exception's text could quote a youth
            log.error("api_error", method=request.method, route=route, error=type(exc).__name__)
            response = _json({"error": texts("api.error_internal")}, 500)
        if not response.prepared:  # an event stream has sent its own headers already
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    # --- sessions ------------------------------------------------------------
    async def openapi(self, request: web.Request) -> web.Response:
        return _json(document())

    async def setup(self, request: web.Request) -> web.Response:
        data = await _body(request)
        token, email, password = _req(data, "token"), _req(data, "email"), _req(data, "password")
        staff = await self.auth.redeem_setup(token, email, password)
        await self.service.audit(staff, "first_coordinator_created", f"staff:{staff.id}")
        return await self._session_response(staff, 201)

    async def login(self, request: web.Request) -> web.Response:
        await request.read()  # an oversized body is a 413, whatever it claims to be
        # A cross-site form can post text/plain without a preflight: only our own pages' JSON.
        if request.content_type != "application/json":
            raise NotJson()
        if not same_site(request, self.deps.settings.public_url):
            raise Forbidden("api.error_origin")
        data = await _body(request)
        email, password = _req(data, "email"), _req(data, "password")
        login = await self.auth.login(email, password, request.remote or "unknown")
        response = _json(
            {"staff": views.staff_view(login.staff, full=True), "csrf_token": login.csrf_token}
        )
        self.auth.set_cookie(response, login.session_id)
        return response

    async def _session_response(self, staff: Any, status: int) -> web.Response:
        login = await self.auth.open_session(staff)
        body = {"staff": views.staff_view(staff, full=True), "csrf_token": login.csrf_token}
        response = _json(body, status)
        self.auth.set_cookie(response, login.session_id)
        return response

    async def logout(self, request: web.Request) -> web.Response:
        await self.auth.require(request, csrf=True)
        await self.auth.logout(request)
        response = web.Response(status=204)
        self.auth.clear_cookie(response)
        return response

    async def me(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request)
        csrf = await self.auth.csrf_token(request)
        return _json({"staff": views.staff_view(staff, full=True), "csrf_token": csrf})

    # --- tickets -------------------------------------------------------------
    async def tickets(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request)
        if search.is_search(request.query):
            wanted = search.parse(request.query, staff, self.deps.settings.timezone)
            return _json({"tickets": await self.service.find(wanted)})
        status = request.query.get("status", "waiting")
        mine = request.query.get("mine", "false")
        limit = request.query.get("limit", "200")
        if status not in STATUSES:
            raise Invalid("api.error_status")
        if mine not in ("true", "false") or not limit.isdigit() or not 1 <= int(limit) <= 500:
            raise Invalid("api.error_query")
        assigned_to = staff.id if mine == "true" else None
        found = await self.service.queue(status, limit=int(limit), assigned_to=assigned_to)
        return _json({"tickets": found})

    async def ticket(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request)
        return _json(await self.service.ticket_detail(_ticket_id(request), staff))

    async def claim(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        return _json({"ticket": await self.service.claim(_ticket_id(request), staff)})

    async def messages(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        ticket_id, data = _ticket_id(request), await _body(request)
        message = await self.service.send_message(ticket_id, staff, _req(data, "text"))
        return _json({"message": message}, 201)

    async def release(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        return _json({"ticket": await self.service.release(_ticket_id(request), staff)})

    async def transfer(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        ticket_id, data = _ticket_id(request), await _body(request)
        to_staff, territory = data.get("staff_id"), data.get("territory")
        if "staff_id" in data and (isinstance(to_staff, bool) or not isinstance(to_staff, int)):
            raise Invalid("api.error_field_type", field="staff_id")
        if "territory" in data and not isinstance(territory, str):
            raise Invalid("api.error_field_type", field="territory")
        ticket = await self.service.transfer(
            ticket_id, staff, to_staff_id=to_staff, territory=territory
        )
        return _json({"ticket": ticket})

    async def close(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        ticket_id, data = _ticket_id(request), await _body(request)
        ticket = await self.service.close(ticket_id, staff, _req(data, "outcome"))
        return _json({"ticket": ticket})

    async def reopen(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        return _json({"ticket": await self.service.reopen(_ticket_id(request), staff)})

    async def notes(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        ticket_id, data = _ticket_id(request), await _body(request)
        note = await self.service.add_note(ticket_id, staff, _req(data, "text"))
        return _json({"note": note}, 201)

    async def meetings(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        ticket_id, data = _ticket_id(request), await _body(request)
        day, time, place = _req(data, "date"), _req(data, "time"), _req(data, "place")
        return _json(await self.service.propose_meeting(ticket_id, staff, day, time, place), 201)

    # --- a youth's data rights (coordinator) --------------------------------------------
    async def export(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator")
        ticket_id = _ticket_id(request)
        response = _json(await self.service.export(ticket_id, staff), indent=2)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="milomouv-export-{ticket_id}.json"'
        )
        return response

    async def erase(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        ticket_id, data = _ticket_id(request), await _body(request)
        if data.get("confirm") is not True:
            raise Invalid("api.error_erase_confirm")
        return _json({"ticket": await self.service.erase(ticket_id, staff)})

    # --- canned replies, staff, territories ---------------------------------------
    async def canned(self, request: web.Request) -> web.Response:
        await self.auth.require(request)
        return _json({"replies": await self.service.canned_replies()})

    async def set_canned(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        replies = (await _body(request)).get("replies")
        if not isinstance(replies, list) or not all(
            isinstance(r, dict)
            and isinstance(r.get("title"), str)
            and isinstance(r.get("text"), str)
            for r in replies
        ):
            raise Invalid("api.error_field_type", field="replies")
        pairs = [(r["title"], r["text"]) for r in replies]
        return _json({"replies": await self.service.set_canned_replies(staff, pairs)})

    async def staff(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request)
        accounts = await self.service.store.list_staff()
        if staff.is_coordinator:
            found = [views.staff_view(s, full=True) for s in accounts]
        else:
            found = [
                views.staff_view(s, full=False) for s in accounts if s.active and s.id != staff.id
            ]
        return _json({"staff": found})

    async def add_staff(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        data = await _body(request)
        created = await self.accounts.create_staff(
            staff,
            _req(data, "email"),
            _req(data, "password"),
            _req(data, "role"),
            territory=_str(data, "territory", required=False),
            display_name=_str(data, "display_name", required=False),
        )
        return _json({"staff": views.staff_view(created, full=True)}, 201)

    async def disable_staff(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        raw = request.match_info["id"]
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
            raise NotFound("api.error_staff_not_found")
        disabled = await self.accounts.disable_staff(staff, int(raw))
        return _json({"staff": views.staff_view(disabled, full=True)})

    async def territories(self, request: web.Request) -> web.Response:
        await self.auth.require(request)
        return _json({"territories": await self.service.store.territories()})
