"""VAPID keys and push subscriptions, on every backend."""

from __future__ import annotations

from bot.store.base import Store
from bot.store.roles_push import PushSubscription, VapidKeys
from tests.support.store import staff


async def test_the_first_keys_stored_are_kept_for_good(store: Store) -> None:
    first = await store.vapid_keys(VapidKeys("priv1", "pub1"), 1.0)
    assert first == VapidKeys("priv1", "pub1")
    assert await store.vapid_keys(VapidKeys("priv2", "pub2"), 2.0) == first


async def test_subscriptions_per_staff_device(store: Store) -> None:
    await store.save_subscription(PushSubscription("https://p/1", 1, "k1", "a1", 1.0))
    await store.save_subscription(PushSubscription("https://p/2", 1, "k2", "a2", 2.0))
    await store.save_subscription(PushSubscription("https://p/3", 2, "k3", "a3", 3.0))
    assert [s.endpoint for s in await store.subscriptions([1])] == ["https://p/1", "https://p/2"]
    assert await store.subscriptions([]) == []
    # The same browser signed in as someone else now belongs to them, with fresh keys.
    await store.save_subscription(PushSubscription("https://p/2", 2, "k9", "a9", 4.0))
    mine = await store.subscriptions([2])
    assert [(s.endpoint, s.p256dh, s.auth) for s in mine] == [
        ("https://p/2", "k9", "a9"),
        ("https://p/3", "k3", "a3"),
    ]
    assert not await store.drop_subscription("https://p/3", staff_id=1)  # not theirs
    assert await store.drop_subscription("https://p/3", staff_id=2)
    assert await store.drop_subscription("https://p/1")
    assert not await store.drop_subscription("https://p/1")
    assert [s.endpoint for s in await store.subscriptions([1, 2])] == ["https://p/2"]


async def test_disabling_an_account_drops_its_devices_only(store: Store) -> None:
    anne, bea = await staff(store, "anne@x.test"), await staff(store, "bea@x.test")
    await store.save_subscription(PushSubscription("https://p/a", anne.id, "k1", "a1", 1.0))
    await store.save_subscription(PushSubscription("https://p/b", bea.id, "k2", "a2", 1.0))
    await store.disable_staff(anne.id, 2.0)
    assert await store.subscriptions([anne.id]) == []
    assert [s.endpoint for s in await store.subscriptions([bea.id])] == ["https://p/b"]
