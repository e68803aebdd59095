"""Web Push to staff devices: VAPID keys kept in the store, encrypted pushes sent in the background.

The keys are made on the first start and stored, so every instance and every restart signs
with the same ones (a device subscribed with a public key only accepts pushes signed with its
private twin). A push carries a title, a short body with a first name at most, and a link;
a subscription the push service says is gone (404, 410) is forgotten. Sending runs in tasks
of its own: a webhook or a page never waits for a push service.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPushException, webpush_async

from bot.store.roles_push import PushSubscription, VapidKeys

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store.base import Store

log = structlog.get_logger(__name__)

SEND_TIMEOUT_SECONDS = 10.0
TTL_SECONDS = 12 * 3600  # a push older than a working day is not worth showing
GONE = (404, 410)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_keys() -> VapidKeys:
    """A fresh P-256 key pair: the raw private scalar and the uncompressed public point."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(b64url(private), b64url(public))


def contact(settings: Settings) -> str:
    """The VAPID `sub` claim: the setting, else the public https site, else a local address."""
    if settings.push_contact:
        return settings.push_contact
    url = urlsplit(settings.public_url)
    if url.scheme == "https" and url.hostname and "." in url.hostname:
        return f"https://{url.hostname}"
    return "mailto:push@localhost"


class Pusher:
    """Sends pushes to staff devices; `start` loads (or makes) the keys and opens the client."""

    def __init__(self, store: Store, settings: Settings, clock: Any) -> None:
        self.store = store
        self.sub = contact(settings)
        self.clock = clock
        self.keys: VapidKeys | None = None
        self._vapid: Vapid | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[int]] = set()

    @property
    def public_key(self) -> str | None:
        return self.keys.public_key if self.keys else None

    async def start(self) -> None:
        candidate = await asyncio.to_thread(new_keys)
        self.keys = await self.store.vapid_keys(candidate, self.clock())
        self._vapid = Vapid.from_raw(self.keys.private_key.encode("ascii"))
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)
        )

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    def notify(self, staff_ids: Iterable[int], title: str, body: str, url: str) -> None:
        """Push to every device of these staff, in the background."""
        ids = sorted(set(staff_ids))
        if not ids or self._session is None:
            return
        task = asyncio.create_task(self.send(ids, title, body, url), name="handoff:push")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_sent(self) -> None:
        """Until the pushes under way are sent (for an orderly stop, and for tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def send(self, staff_ids: list[int], title: str, body: str, url: str) -> int:
        """Push now; returns how many devices accepted it."""
        payload = json.dumps({"title": title, "body": body, "url": url}, ensure_ascii=False)
        delivered = 0
        for sub in await self.store.subscriptions(staff_ids):
            delivered += await self._one(sub, payload)
        return delivered

    async def _one(self, sub: PushSubscription, payload: str) -> int:
        info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
        try:
            await webpush_async(
                info,
                payload,
                vapid_private_key=self._vapid,
                vapid_claims={"sub": self.sub},
                ttl=TTL_SECONDS,
                timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS),
                aiohttp_session=self._session,
            )
        except WebPushException as exc:
            status = exc.status_code
            if status in GONE:
                await self.store.drop_subscription(sub.endpoint)
                log.info("push_subscription_gone", staff=sub.staff_id, status=status)
            else:
                log.warning("push_failed", staff=sub.staff_id, status=status)
            return 0
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.warning("push_failed", staff=sub.staff_id, error=type(exc).__name__)
            return 0
        return 1
