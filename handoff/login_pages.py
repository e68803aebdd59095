"""Signing in: the login page and its no-JavaScript form, and the first coordinator's setup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.proxy import same_site
from handoff.auth import PASSWORD_MIN, digest
from handoff.errors import HandoffError
from handoff.pages import URLS, Pages

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

PUBLIC = (
    "/handoff/login",
    "/handoff/setup",
    "/handoff/reset",
    "/handoff/push-worker.js",
)  # the pages a signed-out person may open


def setup(pages: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    view = LoginPages(deps, service)
    pages.router.add_get("/login", view.login_page)
    pages.router.add_post("/login", view.login_form)
    pages.router.add_get("/setup", view.setup_page)


class LoginPages(Pages):
    """GET and POST /handoff/login, GET /handoff/setup."""

    async def login_page(self, request: web.Request) -> web.Response:
        if await self.service.auth.identify(request) is not None:
            raise web.HTTPFound(URLS["queue"])
        notice = ""
        if "expired" in request.query:
            notice = self.texts("dashboard.session_expired")
        elif "bye" in request.query:
            notice = self.texts("dashboard.logged_out")
        elif await self.service.store.count_staff() == 0:
            notice = self.texts("dashboard.login_no_account")
        return self._login(request, notice)

    async def login_form(self, request: web.Request) -> web.StreamResponse:
        """The same sign-in without JavaScript: a plain form post, then a redirect."""
        if not same_site(request, self.deps.settings.public_url):
            raise web.HTTPForbidden(text="origin", content_type="text/plain")
        form = await request.post()
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        next_path = _safe_next(str(form.get("next", "")))
        try:
            login = await self.service.auth.login(email, password, request.remote or "unknown")
        except HandoffError as exc:
            return self._login(request, exc.message(self.texts), exc.status, next_path)
        response = web.HTTPSeeOther(next_path)
        self.service.auth.set_cookie(response, login.session_id)
        raise response

    def _login(
        self, request: web.Request, notice: str, status: int = 200, next_path: str | None = None
    ) -> web.Response:
        return self._render(
            request,
            "login.html",
            status=status,
            page="login",
            staff=None,
            csrf_token="",
            notice=notice,
            next=next_path or _safe_next(request.query.get("next", "")),
        )

    async def setup_page(self, request: web.Request) -> web.Response:
        token = request.query.get("token", "")[:200]
        valid = bool(token) and await self.service.store.setup_token_valid(
            digest(token), self.deps.clock()
        )
        return self._render(
            request,
            "setup.html",
            status=200 if valid else 403,
            page="setup",
            staff=None,
            csrf_token="",
            token=token if valid else "",
            token_ok=valid,
            min_password=PASSWORD_MIN,
        )


def _safe_next(value: str) -> str:
    """Only a path of this dashboard: never send someone elsewhere after signing in."""
    if value.startswith("/handoff/") and "//" not in value and "\\" not in value:
        return value
    return URLS["queue"]
