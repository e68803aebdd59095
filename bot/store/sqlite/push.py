"""Web Push on SQLite: one row of VAPID keys, one row per subscribed device."""

from __future__ import annotations

from collections.abc import Iterable

from bot.store.roles_push import PushStore, PushSubscription, VapidKeys
from bot.store.sqlite.db import SQLiteDatabase


class SQLitePush(SQLiteDatabase, PushStore):
    async def vapid_keys(self, candidate: VapidKeys, now: float) -> VapidKeys:
        await self._change(
            "INSERT INTO push_keys (id, private_key, public_key, created_at) "
            "VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (candidate.private_key, candidate.public_key, now),
        )
        row = await self._read_one("SELECT private_key, public_key FROM push_keys WHERE id = 1")
        assert row is not None
        return VapidKeys(row[0], row[1])

    async def save_subscription(self, sub: PushSubscription) -> None:
        await self._change(
            "INSERT INTO push_subscriptions (endpoint, staff_id, p256dh, auth, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (endpoint) DO UPDATE SET "
            "staff_id = excluded.staff_id, p256dh = excluded.p256dh, auth = excluded.auth",
            (sub.endpoint, sub.staff_id, sub.p256dh, sub.auth, sub.created_at),
        )

    async def drop_subscription(self, endpoint: str, staff_id: int | None = None) -> bool:
        if staff_id is None:
            sql = "DELETE FROM push_subscriptions WHERE endpoint = ?"
            return await self._change(sql, (endpoint,)) == 1
        sql = "DELETE FROM push_subscriptions WHERE endpoint = ? AND staff_id = ?"
        return await self._change(sql, (endpoint, staff_id)) == 1

    async def subscriptions(self, staff_ids: Iterable[int]) -> list[PushSubscription]:
        ids = tuple(staff_ids)
        if not ids:
            return []
        found = await self._read_all(
            "SELECT endpoint, staff_id, p256dh, auth, created_at FROM push_subscriptions "
            f"WHERE staff_id IN ({', '.join('?' * len(ids))}) ORDER BY created_at, endpoint",
            ids,
        )
        return [PushSubscription(*r) for r in found]
