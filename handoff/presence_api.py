"""POST /api/tickets/{id}/typing: the holder is typing; the youth's platform shows it."""

from __future__ import annotations

from aiohttp import web

from handoff.api import Api, _ticket_id


class PresenceApi:
    """The route, sharing the API's auth."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def register(self, app: web.Application) -> None:
        app.router.add_post("/tickets/{id}/typing", self.typing)

    async def typing(self, request: web.Request) -> web.Response:
        staff = await self.api.auth.require(request, csrf=True)
        await self.api.service.presence.typing(_ticket_id(request), staff)
        return web.Response(status=204)
