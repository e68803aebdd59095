"""Live updates as server-rendered fragments: the event stream says what changed, the page's
script fetches the fragment here and swaps it in, so cards and thread lines are drawn by the
same macros for the page and for its updates (no formatting in the browser).

- `/handoff/fragments/cards?list=queue|mine`: that list's cards, with both lists' counts;
- `/handoff/fragments/cards/{id}`: one ticket's card (and its notification text);
- `/handoff/fragments/tickets/{id}`: the parts of a ticket page that change.

Signed-out callers get 401 (the dashboard's middleware), never the sign-in page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from handoff.errors import NotFound
from handoff.pages import STAFF_KEY
from handoff.territories import Territories
from handoff.ticket_page import TicketPage

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

FRAGMENTS = "/handoff/fragments/"
TICKET_ID = "{ticket_id:[A-Za-z0-9_-]{1,64}}"
LISTS = ("queue", "mine")


def setup(pages: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    view = LiveFragments(deps, service)
    pages.router.add_get("/fragments/cards", view.cards)
    pages.router.add_get(f"/fragments/cards/{TICKET_ID}", view.card)
    pages.router.add_get(f"/fragments/tickets/{TICKET_ID}", view.ticket)


class LiveFragments(TicketPage):
    """Fragment handlers: the same views and macros as the pages."""

    def _not_found(self) -> web.HTTPNotFound:
        return web.HTTPNotFound(
            text=self.texts("dashboard.error_not_found"), content_type="text/plain"
        )

    async def cards(self, request: web.Request) -> web.Response:
        staff, _ = request[STAFF_KEY]
        name = request.query.get("list", "queue")
        if name not in LISTS:
            raise web.HTTPBadRequest(text=self.texts("api.error_query"), content_type="text/plain")
        waiting = await self.service.queue("waiting")
        mine = await self.service.mine(staff)
        shown = mine
        if name == "queue":  # in the order the queue page gave: the person's structure first
            ordered = Territories(self.service).structure_first(
                staff, waiting, request.query.get("structure")
            )
            shown, _ = await ordered
        return self._render(
            request,
            "cards_live.html",
            cards=[self._card(ticket) for ticket in shown],
            can_claim=name == "queue",
            counts={"waiting": len(waiting), "mine": len(mine)},
        )

    async def card(self, request: web.Request) -> web.Response:
        try:
            ticket = await self.service.summary(request.match_info["ticket_id"])
        except NotFound:
            raise self._not_found() from None
        return self._render(request, "card_live.html", c=self._card(ticket))

    async def ticket(self, request: web.Request) -> web.Response:
        staff, _ = request[STAFF_KEY]
        try:
            detail = await self.service.ticket_detail(request.match_info["ticket_id"], staff)
        except NotFound:
            raise self._not_found() from None
        view = await self._ticket_view(detail, staff, [])
        return self._render(request, "ticket_live.html", v=view)
