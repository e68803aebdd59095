"""The coordinator's source pages: the list with its form, and each source's A4 poster."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING, Any

import segno
from aiohttp import web

from bot.store.roles_sources import SOURCE_KINDS
from handoff.dashboard import Dashboard
from handoff.errors import NotFound
from handoff.sources import Sources

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

CODE_ROUTE = "{code:[A-Za-z0-9_-]{1,64}}"
POSTER_CHANNELS = ("web", "telegram", "messenger", "instagram")  # the first is the big code


def setup(pages: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    SourcePages(deps, service).register_sources(pages)


def qr_svg(link: str) -> str:
    """An inline SVG QR code (the page's CSP allows inline SVG, not inline scripts)."""
    return segno.make(link, error="m").svg_inline(scale=1, border=2, omitsize=True)


def qr_png(link: str) -> bytes:
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=16, border=4)
    return out.getvalue()


class SourcePages(Dashboard):
    """List, create and archive sources; print a poster; download its QR code."""

    def register_sources(self, app: web.Application) -> None:
        self.sources = Sources(self.service)
        app.router.add_get("/sources", self.list_page)
        app.router.add_get(f"/sources/{CODE_ROUTE}/poster", self.poster_page)
        app.router.add_get(f"/sources/{CODE_ROUTE}/qr.png", self.qr_download)

    async def _coordinator(self, request: web.Request) -> tuple[Staff, dict[str, Any]]:
        staff, frame, _ = await self._frame(request)
        if not staff.is_coordinator:
            raise web.HTTPForbidden(
                text=self.texts("api.error_forbidden_role"), content_type="text/plain"
            )
        return staff, frame

    async def _source(self, request: web.Request) -> Any:
        try:
            return await self.sources.get(request.match_info["code"])
        except NotFound:
            raise web.HTTPNotFound(
                text=self.texts("sources.error_not_found"), content_type="text/plain"
            ) from None

    async def list_page(self, request: web.Request) -> web.Response:
        _, frame = await self._coordinator(request)
        t = self.texts
        rows = [
            s | {"kind_label": t(f"sources.kind_{s['kind']}")} for s in await self.sources.listed()
        ]
        kinds = [(k, t(f"sources.kind_{k}")) for k in SOURCE_KINDS]
        return self._render(
            request, "source_list.html", page="sources", sources=rows, kinds=kinds, **frame
        )

    async def poster_page(self, request: web.Request) -> web.Response:
        _, frame = await self._coordinator(request)
        source = await self._source(request)
        links = self.sources.links(source.code)
        codes = [
            {"channel": c, "label": self.texts(f"sources.channel_{c}"), "link": links[c]}
            for c in POSTER_CHANNELS
            if c in links
        ]
        svgs = await asyncio.to_thread(lambda: [qr_svg(c["link"]) for c in codes])
        for code, svg in zip(codes, svgs, strict=True):
            code["svg"] = svg
        contact = self.texts("poster.contact", contact=self.deps.settings.mission_locale_contact)
        return self._render(
            request,
            "source_poster.html",
            page="poster",
            source=source,
            main=codes[0],
            others=codes[1:],
            contact=contact,
            **frame,
        )

    async def qr_download(self, request: web.Request) -> web.Response:
        await self._coordinator(request)
        source = await self._source(request)
        png = await asyncio.to_thread(qr_png, self.sources.links(source.code)["web"])
        return web.Response(
            body=png,
            content_type="image/png",
            headers={
                "Cache-Control": "no-store",
                "Content-Disposition": f'attachment; filename="milomouv-qr-{source.code}.png"',
            },
        )
