"""The coordinator's territories page: structures, the communes and EPCIs they serve, staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from handoff.dashboard import Dashboard
from handoff.territories import Territories

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

PAGE_URL = "/handoff/territories"


def setup(app: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    TerritoryPages(deps, service).register_territories(app)


class TerritoryPages(Dashboard):
    """One page; its forms call the JSON API (territories.js), which audits each change."""

    def register_territories(self, app: web.Application) -> None:
        self.territories = Territories(self.service)
        app.router.add_get(PAGE_URL.removeprefix("/handoff"), self.page)

    async def page(self, request: web.Request) -> web.Response:
        staff, frame, _ = await self._frame(request)
        if not staff.is_coordinator:
            raise web.HTTPForbidden(
                text=self.texts("api.error_forbidden_role"), content_type="text/plain"
            )
        structures = await self.territories.listed()
        accounts = [s for s in await self.service.store.list_staff() if s.active]
        names = {s.id: s.display_name for s in accounts}
        for s in structures:
            s["member_names"] = [(i, names[i]) for i in s["members"] if i in names]
        return self._render(
            request,
            "territory_list.html",
            page="territories",
            structures=structures,
            accounts=[(s.id, s.display_name) for s in accounts],
            to_check=any(s["default_to_check"] for s in structures),
            **frame,
        )
