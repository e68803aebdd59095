"""The queue and "my conversations": the same ticket cards, kept live by fragments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from handoff import find
from handoff.pages import Pages
from handoff.territories import Territories

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff


def setup(pages: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    view = QueuePages(deps, service)
    pages.router.add_get("/", view.queue_page)
    pages.router.add_get("/mine", view.mine_page)
    find.register(pages, view)


class QueuePages(Pages):
    """GET /handoff/ (the queue) and /handoff/mine."""

    async def queue_page(self, request: web.Request) -> web.Response:
        return await self._list(request, "queue")

    async def mine_page(self, request: web.Request) -> web.Response:
        return await self._list(request, "mine")

    async def _list(self, request: web.Request, page: str) -> web.Response:
        """The queue or "my conversations": the same cards, kept live by list.js."""
        staff, frame, lists = await self._frame(request)
        t = self.texts
        tickets, scope = lists["waiting" if page == "queue" else "mine"], None
        if page == "queue":  # the person's structure first, unless they asked for all
            ordered = Territories(self.service).structure_first(
                staff, tickets, request.query.get("structure")
            )
            tickets, scope = await ordered
        return self._render(
            request,
            "list.html",
            page=page,
            heading=t(f"dashboard.{page}_title"),
            subtitle=t(f"dashboard.{page}_subtitle"),
            empty=t(f"dashboard.{page}_empty"),
            cards=[self._card(ticket) for ticket in tickets],
            find_options=await find.options(self) if page == "queue" else None,
            scope=scope,
            find_url=find.FIND_URL,
            **frame,
        )
