"""The coordinator's bot texts pages: the catalogue with search, and one key's editor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.jsonlimits import loads_limited
from handoff.dashboard import Dashboard
from handoff.errors import HandoffError, NotFound
from handoff.texts_api import KEY_ROUTE, TEXT_EDITOR
from handoff.texts_edit import TextEditor
from handoff.texts_live import LiveTexts

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff


def install_editor(app: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    """The live catalogue (applied before serving, then followed), on the service's app so
    that the pages and the API both find it."""
    live = LiveTexts(deps.store, deps.live)
    app[TEXT_EDITOR] = TextEditor(service, live)

    async def follow(app: web.Application) -> AsyncIterator[None]:
        async with live.running(deps.texts):
            yield

    app.cleanup_ctx.append(follow)


def setup(pages: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    TextPages(deps, service).register_texts(pages)


class TextPages(Dashboard):
    """The catalogue, the editor, and the preview fragment the editor's script asks for."""

    @staticmethod
    def _editor(request: web.Request) -> TextEditor:
        return request.config_dict[TEXT_EDITOR]

    def register_texts(self, app: web.Application) -> None:
        app.router.add_get("/texts", self.list_page)
        app.router.add_get(f"/texts/{KEY_ROUTE}", self.edit_page)
        app.router.add_post(f"/texts/{KEY_ROUTE}/preview", self.preview_fragment)

    async def _coordinator(self, request: web.Request) -> tuple[Staff, dict[str, Any]]:
        staff, frame, _ = await self._frame(request)
        if not staff.is_coordinator:
            raise web.HTTPForbidden(
                text=self.texts("api.error_forbidden_role"), content_type="text/plain"
            )
        return staff, frame

    def _section(self, name: str) -> str:
        key = f"texts.section_{name}"
        return self.texts(key) if self._has(key) else name

    async def list_page(self, request: web.Request) -> web.Response:
        _, frame = await self._coordinator(request)
        query = request.query.get("q", "")[:100]
        sections = [
            s | {"label": self._section(s["section"])}
            for s in self._editor(request).catalogue(query)
        ]
        return self._render(
            request, "texts_list.html", page="texts", sections=sections, query=query, **frame
        )

    async def edit_page(self, request: web.Request) -> web.Response:
        _, frame = await self._coordinator(request)
        try:
            entry = await self._editor(request).entry(request.match_info["key"])
        except NotFound:
            raise web.HTTPNotFound(
                text=self.texts("texts.error_not_found"), content_type="text/plain"
            ) from None
        section = entry["key"].partition(".")[0]
        for version in entry["history"]:
            version["when"] = self._when(version["created_at"])
        return self._render(
            request,
            "texts_edit.html",
            page="texts",
            e=entry,
            section=self._section(section),
            problems=[],
            **frame,
        )

    async def preview_fragment(self, request: web.Request) -> web.Response:
        """The preview and the reasons a typed text would be refused, as server-rendered HTML."""
        try:
            await self.service.auth.require(request, role="coordinator", csrf=True)
            data = loads_limited(await request.read())
            text = data.get("text") if isinstance(data, dict) else None
            tried = self._editor(request).try_text(request.match_info["key"], text)
        except HandoffError as exc:
            return web.Response(
                text=exc.message(self.texts), status=exc.status, content_type="text/plain"
            )
        html = self.env.get_template("_texts_preview.html").render(
            t=self.texts,
            p=tried["preview"],
            problems=tried["problems"],
            key=request.match_info["key"],
        )
        return web.Response(
            text=html, content_type="text/html", headers={"Cache-Control": "no-store"}
        )

    def _when(self, at: float) -> str:
        local = self._local(at)
        return f"{self._day_label(local.date())} {local.strftime('%H:%M')}"
