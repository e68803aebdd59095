"""Prometheus metrics at /metrics, for allowed addresses or with a bearer token."""

from __future__ import annotations

import hmac
import ipaddress

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.store.base import Store, StoreUnavailable


class Metrics:
    """One registry per running service (tests run several in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages_in = Counter(
            "milomouv_messages_in", "Inbound events processed", ["channel"], registry=r
        )
        self.messages_out = Counter(
            "milomouv_messages_out", "Replies delivered", ["channel", "author"], registry=r
        )
        self.send_retries = Counter(
            "milomouv_send_retries", "Send attempts to retry later", ["channel", "code"], registry=r
        )
        self.send_failures = Counter(
            "milomouv_send_failures", "Replies given up", ["channel", "code"], registry=r
        )
        self.errors = Counter("milomouv_errors", "Unexpected errors", ["where"], registry=r)
        self.outbox_backlog = Gauge(
            "milomouv_outbox_backlog", "Replies waiting to be delivered", registry=r
        )
        self.queue_length = Gauge(
            "milomouv_queue_length", "Tickets waiting for a counsellor", ["priority"], registry=r
        )
        self.oldest_wait = Gauge(
            "milomouv_queue_oldest_wait_seconds", "Age of the oldest waiting ticket", registry=r
        )
        self.store_up = Gauge("milomouv_store_up", "1 when the store answers", registry=r)

    async def refresh(self, store: Store, now: float) -> None:
        """Gauges read from the store at scrape time."""
        try:
            self.outbox_backlog.set(await store.outbox_backlog())
            waiting = await store.list_tickets("waiting", limit=10_000)
        except StoreUnavailable:
            self.store_up.set(0)
            return
        self.store_up.set(1)
        for priority in ("urgent", "normal"):
            self.queue_length.labels(priority).set(sum(t.priority == priority for t in waiting))
        self.oldest_wait.set(max((now - t.created_at for t in waiting), default=0.0))


Networks = list[ipaddress.IPv4Network | ipaddress.IPv6Network]


def allowed(request: web.Request, token: str | None, networks: Networks) -> bool:
    """A scrape is allowed from a listed network, or anywhere with the bearer token."""
    if token:
        header = request.headers.get("Authorization", "")
        if hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
            return True
    peer = request.remote or ""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in net for net in networks)


def parse_networks(spec: str) -> Networks:
    """`"127.0.0.1/32, ::1/128"` → networks; ValueError names the bad entry."""
    networks: Networks = []
    for part in (p.strip() for p in spec.split(",")):
        if part:
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(f"not an address or network: {part!r}") from None
    return networks


def exposition(metrics: Metrics) -> web.Response:
    body = generate_latest(metrics.registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
