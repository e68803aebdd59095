"""The bot texts' JSON routes under /api/texts (coordinator only)."""

from __future__ import annotations

from aiohttp import web

from handoff.api import Api, _body, _json
from handoff.errors import NotFound
from handoff.texts_edit import TextEditor

KEY_ROUTE = "{key:[a-z0-9_]{1,64}\\.[a-z0-9_]{1,64}}"  # the pages (the API checks after auth)
TEXT_EDITOR: web.AppKey[TextEditor] = web.AppKey("text_editor", TextEditor)


class TextsApi:
    """Handlers on the API sub-app; the editor is the service's, found through the parent app."""

    def __init__(self, api: Api) -> None:
        self.auth = api.auth

    def register(self, app: web.Application) -> None:
        app.router.add_get("/texts", self.catalogue, allow_head=False)
        app.router.add_get("/texts/{key:[^/]{1,200}}", self.entry, allow_head=False)
        app.router.add_put("/texts/{key:[^/]{1,200}}", self.save)
        app.router.add_post("/texts/{key:[^/]{1,200}}/preview", self.preview)
        app.router.add_post("/texts/{key:[^/]{1,200}}/rollback", self.rollback)

    @staticmethod
    def _editor(request: web.Request) -> TextEditor:
        editor = request.config_dict.get(TEXT_EDITOR)
        if editor is None:  # an app mounted without the texts desk
            raise NotFound()
        return editor

    async def catalogue(self, request: web.Request) -> web.Response:
        await self.auth.require(request, role="coordinator")
        sections = self._editor(request).catalogue(request.query.get("q", ""))
        return _json({"sections": sections})

    async def entry(self, request: web.Request) -> web.Response:
        await self.auth.require(request, role="coordinator")
        return _json({"text": await self._editor(request).entry(request.match_info["key"])})

    async def save(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        data = await _body(request)
        key = request.match_info["key"]
        return _json({"text": await self._editor(request).save(staff, key, data.get("text"))})

    async def preview(self, request: web.Request) -> web.Response:
        await self.auth.require(request, role="coordinator", csrf=True)
        data = await _body(request)
        return _json(self._editor(request).try_text(request.match_info["key"], data.get("text")))

    async def rollback(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, role="coordinator", csrf=True)
        data = await _body(request)
        key, version = request.match_info["key"], data.get("version")
        return _json({"text": await self._editor(request).rollback(staff, key, version)})
