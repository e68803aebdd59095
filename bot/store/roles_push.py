"""Web Push: the service's VAPID keys and each staff device's push subscription."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VapidKeys:
    """The application server's key pair, base64url without padding (raw private scalar)."""

    private_key: str
    public_key: str


@dataclass(frozen=True, slots=True)
class PushSubscription:
    """One browser's subscription: where to post, and the keys to encrypt for it."""

    endpoint: str
    staff_id: int
    p256dh: str
    auth: str
    created_at: float = 0.0


class PushStore(ABC):
    """The VAPID keys, generated once for every instance, and the subscriptions."""

    @abstractmethod
    async def vapid_keys(self, candidate: VapidKeys, now: float) -> VapidKeys:
        """The stored keys; `candidate` is stored first when there are none (first start)."""

    @abstractmethod
    async def save_subscription(self, sub: PushSubscription) -> None:
        """Add a device, or give an endpoint already known to this staff member."""

    @abstractmethod
    async def drop_subscription(self, endpoint: str, staff_id: int | None = None) -> bool:
        """Forget a device (only this staff member's, when given); False when unknown."""

    @abstractmethod
    async def subscriptions(self, staff_ids: Iterable[int]) -> list[PushSubscription]:
        """The devices of these staff, oldest first."""
