"""The dashboard's search page: the queue page's search box and filters lead here.

A plain GET form rendered on the server (it works without JavaScript); the same parsing as
`GET /api/tickets?q=…`, so the page and the API accept and refuse the same things.
`/handoff/closed` is the same page set on closed tickets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.nlu.need import NEEDS
from bot.store.roles_search import SEARCH_STATUSES
from handoff import search
from handoff.errors import Invalid

if TYPE_CHECKING:
    from handoff.dashboard import Dashboard

FIND_URL = "/handoff/find"
CLOSED_URL = "/handoff/closed"


def register(pages: web.Application, dashboard: Dashboard) -> None:
    page = FindPage(dashboard)
    pages.router.add_get("/find", page.find)
    pages.router.add_get("/closed", page.closed)


class FindPage:
    """Search results as ticket cards, under a form that keeps what was asked."""

    def __init__(self, dashboard: Dashboard) -> None:
        self.d = dashboard

    async def find(self, request: web.Request) -> web.Response:
        return await self._page(request, dict(request.query), "find")

    async def closed(self, request: web.Request) -> web.Response:
        return await self._page(request, {**request.query, "status": "closed"}, "closed")

    async def _page(self, request: web.Request, asked: dict[str, str], page: str) -> web.Response:
        staff, frame, _ = await self.d._frame(request)
        t, error, cards = self.d.texts, "", []
        asked.setdefault("status", "all")
        try:
            query = search.parse(asked, staff, self.d.deps.settings.timezone)
        except Invalid as exc:
            error = exc.message(t)
        else:
            cards = [self.d._card(ticket) for ticket in await self.d.service.find(query)]
        return self.d._render(
            request,
            "find.html",
            status=422 if error else 200,
            page=page,
            heading=t(f"finder.{page}_title"),
            asked=asked,
            error=error,
            cards=cards,
            options=await options(self.d),
            find_url=FIND_URL,
            **frame,
        )


async def options(d: Dashboard) -> dict[str, list[tuple[str, str]]]:
    """The filters' choices, labelled in French."""
    t = d.texts
    channels = [(c, t(f"dashboard.channel_{c}")) for c in search.CHANNELS]
    territories = await d.service.store.territories()
    return {
        "status": [(s, t(f"finder.status_{s}")) for s in SEARCH_STATUSES],
        "channel": [("", t("finder.any")), *channels],
        "territory": [("", t("finder.any")), *((x, x) for x in territories)],
        "need": [("", t("finder.any")), *((n, t(f"need.btn_{n}")) for n in NEEDS)],
        "urgent": [
            ("", t("finder.any")),
            ("true", t("finder.urgent_only")),
            ("false", t("finder.normal_only")),
        ],
    }
