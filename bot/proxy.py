"""Who is calling, behind a reverse proxy: forwarded headers believed only from listed proxies."""

from __future__ import annotations

import ipaddress
from typing import Any

from aiohttp import web
from yarl import URL

from bot.metrics import Networks

_SCHEMES = ("http", "https")


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(value: str | None, networks: Networks) -> bool:
    address = _address(value or "")
    return address is not None and any(address in net for net in networks)


def client_address(peer: str | None, forwarded_for: list[str], networks: Networks) -> str | None:
    """The first address, from the right, that is not one of our proxies (RFC 7239's rule).

    Left-most entries are what the client wrote itself: only those appended by our own proxies
    can be believed, so the walk stops at the first untrusted hop.
    """
    if not _trusted(peer, networks):
        return peer
    hops = [h.strip() for line in forwarded_for for h in line.split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        if _address(hop) is None:
            break  # garbage in the header: keep the last hop we could read
        client = str(_address(hop))
        if not _trusted(client, networks):
            break
    return client


def own_origins(request: web.Request, public_url: str) -> set[str]:
    """The service's own origin, as the public URL says and as this request reached it."""
    return {str(URL(public_url).origin()), f"{request.scheme}://{request.host}"}


def same_site(request: web.Request, public_url: str) -> bool:
    """A browser request sent by our own pages (or no browser at all: no cookie to ride on)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin in own_origins(request, public_url)


def middleware(networks: Networks) -> Any:
    """A middleware giving handlers the real client address and scheme behind our proxies."""

    @web.middleware
    async def forwarded(request: web.Request, handler: Any) -> web.StreamResponse:
        if networks and _trusted(request.remote, networks):
            remote = client_address(
                request.remote, request.headers.getall("X-Forwarded-For", []), networks
            )
            proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
            changes: dict[str, Any] = {}
            if remote and remote != request.remote:
                changes["remote"] = remote
            if proto in _SCHEMES and proto != request.scheme:
                changes["scheme"] = proto
            if changes:
                request = request.clone(**changes)
        return await handler(request)

    return forwarded
