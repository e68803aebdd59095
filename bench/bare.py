"""The machine's ceiling: a bare aiohttp app answering the bot's webhook routes with 200.

`python -m bench.bare PORT` serves `POST /webhooks/meta` and `POST /webhooks/telegram` on
127.0.0.1, reading each body whole and answering as the bot does, with nothing in between.
"""

from __future__ import annotations

import sys

from aiohttp import web


async def _meta(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(text="EVENT_RECEIVED")


async def _telegram(request: web.Request) -> web.Response:
    await request.read()
    return web.Response()


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def app() -> web.Application:
    application = web.Application()
    application.router.add_post("/webhooks/meta", _meta)
    application.router.add_post("/webhooks/telegram", _telegram)
    application.router.add_get("/healthz", _healthz)
    return application


if __name__ == "__main__":
    web.run_app(app(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
