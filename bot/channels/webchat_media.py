"""Files a counsellor sends to a youth on the website chat: pushed as a link, served by id.

The link `/chat/media/<id>` works for files sent *to* a web-chat youth only (never what a
youth sent, never another channel's); its id is 128 random bits, like the platforms' own
signed file links, so the youth's page needs no other credential to show it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.mediatypes import kind_of, size_label
from bot.store.base import Store
from bot.store.roles_media import Media

ROUTE = r"/chat/media/{media_id:[A-Za-z0-9_-]{16,64}}"
URL = "/chat/media/{id}"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "Cache-Control": "private, max-age=3600",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def sent_to_youth(media: Media | None) -> bool:
    return (
        media is not None
        and media.direction == "out"
        and media.channel == "web"
        and media.status == "stored"
        and media.message_id is not None
        and bool(media.mime)
    )


def frame_part(media: Media, texts: Any) -> dict[str, Any]:
    """What the youth's page shows: an image, or a download link with name and size."""
    kind = kind_of(media.mime or "")
    label = f"📎 {media.name or ''} ({size_label(texts, media.size or 0)})".replace("  ", " ")
    return {"url": URL.format(id=media.id), "kind": kind, "label": label}


async def history_media(store: Store, conversation_id: str, texts: Any) -> dict[int, Any]:
    """The files of a conversation's thread lines that its youth may see, by line id."""
    return {
        m.message_id: frame_part(m, texts)
        for m in await store.conversation_media(conversation_id)
        if sent_to_youth(m) and m.message_id is not None
    }


def handler(store: Store) -> Any:
    async def serve(request: web.Request) -> web.Response:
        media_id = request.match_info["media_id"]
        media = await store.get_media(media_id)
        content = await store.media_content(media_id) if sent_to_youth(media) else None
        if media is None or content is None or not media.mime:
            raise web.HTTPNotFound(text="not found", content_type="text/plain")
        inline = kind_of(media.mime) == "image"
        disposition = "inline" if inline else f'attachment; filename="milomouv-{media.id}"'
        return web.Response(
            body=content,
            content_type=media.mime,
            headers={**HEADERS, "Content-Disposition": disposition},
        )

    return serve
