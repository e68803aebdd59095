"""The chat on partners' sites: `/widget.js`, and which origins may frame the chat or open it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from yarl import URL

from bot.proxy import own_origins

WIDGET_FILE = Path(__file__).resolve().parent / "web" / "widget.js"
# Words of the bubble a youth reads, from the catalogue (filled in when the script is served).
WIDGET_TEXTS = ("open", "close", "frame_title")


def parse_origins(spec: str) -> list[str]:
    """`"https://a.example, http://localhost:8000"` → origins; ValueError names the bad entry."""
    origins = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        url = URL(part)
        if url.scheme not in ("http", "https") or not url.host or url.path not in ("", "/"):
            raise ValueError(f"not an origin (scheme://host[:port]): {part!r}")
        if url.query_string or url.fragment or url.user:
            raise ValueError(f"not an origin (scheme://host[:port]): {part!r}")
        origins.append(str(url.origin()))
    return origins


def chat_csp(request: web.Request, public_url: str, embed_origins: list[str]) -> str:
    """The chat page's policy: sockets to this service only, framed by listed sites only."""
    https = request.secure or public_url.lower().startswith("https://")
    ws = "wss" if https else "ws"
    ancestors = " ".join(["'self'", *embed_origins])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {ws}://{request.host}; object-src 'none'; base-uri 'none'; "
        f"form-action 'self'; frame-ancestors {ancestors}"
    )


def origin_allowed(request: web.Request, public_url: str, embed_origins: list[str]) -> bool:
    """A browser's WebSocket comes from our own page (standalone or framed) or a listed site."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser: no ambient credentials to abuse, the limits still apply
    return origin in own_origins(request, public_url) or origin in embed_origins


def widget_handler(texts: Callable[[str], str]) -> Callable[[web.Request], Awaitable[web.Response]]:
    """`GET /widget.js`: the bubble script, its French words from the catalogue."""
    cache: dict[str, bytes] = {}

    async def widget(request: web.Request) -> web.Response:
        if "body" not in cache:
            words = {key: texts(f"bubble.{key}") for key in WIDGET_TEXTS}
            source = await asyncio.to_thread(WIDGET_FILE.read_text, encoding="utf-8")
            cache["body"] = source.replace("__TEXTS__", json.dumps(words)).encode()
        return web.Response(
            body=cache["body"],
            content_type="application/javascript",
            charset="utf-8",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    return widget
