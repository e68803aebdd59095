"""The counsellors' dashboard: an aiohttp sub-app mounted at /handoff/, as the API is at /api/.

Its middleware and hook hold what every page needs: a signed-in person (the session is read
once; a signed-out visitor is sent to the login page, a fragment answers 401) and strict
headers on every response, pages, fragments and static files alike (no framing, no inline
script, no foreign origin). The login form checks its origin itself; pages only read, and
every write goes through the API's session and CSRF checks.

Adding pages: a page module (`handoff/<idea>_pages.py`) follows one pattern, so `mount` lists it
in `handoff.PAGE_MODULES` and nothing else changes:

    def setup(pages: web.Application, deps: HandoffDeps, service: Handoff) -> None:
        view = IdeaPages(deps, service)
        pages.router.add_get("/idea", view.idea_page)       # relative: serves /handoff/idea

    class IdeaPages(Pages):                                  # handoff.pages.Pages
        async def idea_page(self, request):
            staff, frame, _ = await self._frame(request)     # the signed-in person, the nav
            ...self.deps.settings / .store / .texts / .flow / .clock() / .live ...
            return self._render(request, "idea.html", page="idea", **frame)

Paths are relative to /handoff (a module written for the old flat app drops that prefix);
`deps` is a `handoff.deps.HandoffDeps` (what `Runtime` gave: `runtime.deps` is `deps.flow`);
`handoff.dashboard.Dashboard` stays a name of `Pages` for modules that import it.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from aiohttp import web
from aiohttp.typedefs import Middleware

from handoff.login_pages import PUBLIC
from handoff.pages import HERE, STAFF_KEY, STATIC_ROUTE, URLS, Pages

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

Dashboard = Pages  # the name page modules of other branches import
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PREFIX = "/handoff/"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def build(deps: HandoffDeps, service: Handoff, modules: tuple[str, ...]) -> web.Application:
    """The dashboard sub-app with every page module's routes and the static files."""
    pages = web.Application(middlewares=[_signed_in(service)])
    pages.router.add_static("/static/", HERE / "static", name=STATIC_ROUTE, append_version=True)
    for name in modules:
        importlib.import_module(name).setup(pages, deps, service)
    pages.on_response_prepare.append(_secure)
    return pages


def mount(
    app: web.Application, deps: HandoffDeps, service: Handoff, modules: tuple[str, ...]
) -> None:
    """Mount the dashboard at /handoff/; /handoff alone leads to the queue."""
    app.router.add_get(PREFIX.rstrip("/"), _to_queue)
    app.add_subapp(PREFIX, build(deps, service, modules))


async def _to_queue(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(URLS["queue"])


def _signed_in(service: Handoff) -> Middleware:
    """Reads the session once per request; only the public pages and static files go without."""

    @web.middleware
    async def signed_in(request: web.Request, handler: Handler) -> web.StreamResponse:
        route = request.match_info
        public = (
            route.http_exception is not None
            or request.path in PUBLIC
            or route.route.name == STATIC_ROUTE
            or request.path.startswith(f"{PREFIX}static/")
        )
        if not public:
            found = await service.auth.identify(request)
            if found is None and request.path.startswith(f"{PREFIX}fragments/"):
                raise web.HTTPUnauthorized(text="", content_type="text/plain")
            if found is None:
                raise web.HTTPFound(f"{URLS['login']}?next={quote(request.path_qs, safe='/')}")
            request[STAFF_KEY] = found
        return await handler(request)

    return signed_in


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    """Security headers on every dashboard response (pages and their static files)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
