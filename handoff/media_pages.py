"""The media routes of the dashboard: a stored file for signed-in staff, and a file upload."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from bot.mediatypes import size_label
from handoff.auth import same
from handoff.dashboard import URLS
from handoff.errors import HandoffError
from handoff.media import send_file

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

MEDIA_ROUTE = r"/media/{media_id:[A-Za-z0-9_-]{16,64}}"
UPLOAD_ROUTE = r"/tickets/{ticket_id:[A-Za-z0-9_-]{1,64}}/media"
# Whatever the bytes are, the browser runs nothing from them and never guesses their type.
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}
INLINE_PREFIXES = ("image/", "audio/", "video/")
CAPTION_MAX = 2000
_FIELD_MAX = 8 * 1024  # the form's text fields


def setup(app: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    pages = MediaPages(deps, service)
    app.router.add_get(MEDIA_ROUTE, pages.media)
    app.router.add_post(UPLOAD_ROUTE, pages.upload)


class MediaPages:
    def __init__(self, deps: HandoffDeps, service: Handoff) -> None:
        self.deps = deps
        self.service = service

    async def _staff(self, request: web.Request) -> tuple[Staff, str]:
        found = await self.service.auth.identify(request)
        if found is None:
            raise web.HTTPFound(URLS["login"])
        staff, session = found
        return staff, session.csrf_token

    async def media(self, request: web.Request) -> web.Response:
        """The bytes of one stored file, under the type read from them."""
        await self._staff(request)
        media_id = request.match_info["media_id"]
        store = self.service.store
        media = await store.get_media(media_id)
        content = await store.media_content(media_id) if media is not None else None
        if media is None or content is None or not media.mime:
            raise web.HTTPNotFound(text="not found", content_type="text/plain")
        inline = media.mime.startswith(INLINE_PREFIXES)
        disposition = "inline" if inline else f'attachment; filename="milomouv-{media.id}"'
        return web.Response(
            body=content,
            content_type=media.mime,
            headers={**MEDIA_HEADERS, "Content-Disposition": disposition},
        )

    async def upload(self, request: web.Request) -> web.StreamResponse:
        """A counsellor's file for the youth: streamed, capped, checked, then sent like a reply."""
        staff, csrf = await self._staff(request)
        ticket_id = request.match_info["ticket_id"]
        texts = self.deps.texts
        limit = self.deps.settings.media_max_bytes
        fields: dict[str, str] = {}
        name, content, too_big = "", b"", False
        try:
            reader = await request.multipart()
        except (AssertionError, ValueError, KeyError):
            return self._refusal(ticket_id, texts("media.error_missing"), 400)
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "file" and part.filename:
                name = unquote(part.filename)  # some clients percent-encode it
                content, too_big = await _read_capped(part, limit)
            elif part.name in ("csrf", "caption"):
                fields[part.name] = (await _read_capped(part, _FIELD_MAX))[0].decode(
                    "utf-8", "replace"
                )
        if not same(fields.get("csrf", ""), csrf):
            return self._refusal(ticket_id, texts("api.error_csrf"), 403)
        if too_big:
            message = texts("media.error_too_big", limit=size_label(texts, limit))
            return self._refusal(ticket_id, message, 413)
        if not content:
            return self._refusal(ticket_id, texts("media.error_missing"), 422)
        caption = fields.get("caption", "").strip()[:CAPTION_MAX]
        try:
            await send_file(self.service, ticket_id, staff, name, content, caption)
        except HandoffError as exc:
            return self._refusal(ticket_id, exc.message(texts), exc.status)
        raise web.HTTPSeeOther(f"/handoff/tickets/{ticket_id}")

    def _refusal(self, ticket_id: str, message: str, status: int) -> web.Response:
        back = html.escape(f"/handoff/tickets/{ticket_id}")
        page = (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>MiloMouv'</title></head><body>"
            f"<p role='alert' id='media-error'>{html.escape(message)}</p>"
            f"<p><a href='{back}'>{html.escape(self.deps.texts('media.back'))}</a></p>"
            "</body></html>"
        )
        return web.Response(text=page, status=status, content_type="text/html")


async def _read_capped(part: BodyPartReader, limit: int) -> tuple[bytes, bool]:
    """A part's bytes up to `limit`; past it, the rest is drained and (prefix, True) returned."""
    body = bytearray()
    while chunk := await part.read_chunk(64 * 1024):
        if len(body) + len(chunk) > limit:
            while await part.read_chunk(64 * 1024):
                pass
            return bytes(body), True
        body += chunk
    return bytes(body), False
