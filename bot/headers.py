"""Security headers on every response: a framing rule and a CSP by default, HSTS on https."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

SERVER = "MiloMouv"  # no product or version for a scanner to match
HSTS = "max-age=31536000; includeSubDomains"
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DEFAULTS = {
    "Content-Security-Policy": DEFAULT_CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


Hook = Callable[[web.Request, web.StreamResponse], Awaitable[None]]


def secure_headers(public_https: bool) -> Hook:
    """The prepare hook, last of all: what a page did not set itself gets the strict default.

    HSTS goes out when the service's public address is https (behind the proxy the connection
    itself is plain http) or when the request came over TLS directly.
    """

    async def secure(request: web.Request, response: web.StreamResponse) -> None:
        response.headers["Server"] = SERVER
        if public_https or request.secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        own_policy = "Content-Security-Policy" in response.headers
        for name, value in DEFAULTS.items():
            if name == "X-Frame-Options" and own_policy:
                continue  # a page's own frame-ancestors rule (the embeddable chat) decides
            response.headers.setdefault(name, value)

    return secure
