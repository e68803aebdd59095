"""Leases and time-based retention on SQLite."""

from __future__ import annotations

from typing import Any

from bot.store.roles import LeaseStore, RetentionStore
from bot.store.sqlite import writes
from bot.store.sqlite.db import SQLiteDatabase

# Free, expired, or already ours: the three cases where a lease may be taken.
_TAKEABLE = "(lease_owner IS NULL OR lease_owner = :owner OR lease_until <= :now)"


class SQLiteLeases(SQLiteDatabase, LeaseStore, RetentionStore):
    # --- leases ------------------------------------------------------------
    async def lease_conversation(
        self, conversation_id: str, owner: str, until: float, now: float
    ) -> bool:
        changed = await self._change(
            "UPDATE conversations SET lease_owner = :owner, lease_until = :until "
            f"WHERE id = :id AND {_TAKEABLE}",
            {"owner": owner, "until": until, "now": now, "id": conversation_id},
        )
        return changed == 1

    async def release_conversation(self, conversation_id: str, owner: str) -> None:
        await self._change(
            "UPDATE conversations SET lease_owner = NULL, lease_until = NULL "
            "WHERE id = ? AND lease_owner = ?",
            (conversation_id, owner),
        )

    async def try_lease(self, name: str, owner: str, until: float, now: float) -> bool:
        changed = await self._change(
            "INSERT INTO leases (name, owner, until) VALUES (:name, :owner, :until) "
            "ON CONFLICT (name) DO UPDATE SET owner = :owner, until = :until "
            "WHERE leases.owner = :owner OR leases.until <= :now",
            {"name": name, "owner": owner, "until": until, "now": now},
        )
        return changed == 1

    async def release_lease(self, name: str, owner: str) -> None:
        await self._change("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))

    # --- retention ---------------------------------------------------------
    async def purge_unfinished(self, before: float, now: float) -> int:
        return await self._retire(
            "purge_unfinished",
            "SELECT id FROM conversations WHERE updated_at < ? AND ticket_id IS NULL "
            "AND mode IN ('bot', 'paused') AND user_id NOT LIKE 'erased:%' "
            "AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.conversation_id = conversations.id "
            "AND i.status = 'pending')",
            (before,),
            now,
        )

    async def anonymise_closed(self, before: float, now: float) -> int:
        return await self._retire(
            "anonymise_closed",
            "SELECT t.conversation_id FROM tickets t JOIN conversations c "
            "ON c.id = t.conversation_id WHERE t.status = 'closed' AND t.closed_at < ? "
            "AND c.user_id NOT LIKE 'erased:%' AND c.mode IN ('bot', 'paused') "
            "AND c.updated_at < ? GROUP BY t.conversation_id",
            (before, before),
            now,
        )

    async def _retire(self, action: str, select: str, params: tuple[Any, ...], now: float) -> int:
        """Erase every conversation `select` finds, in one transaction, audited by count only."""
        async with self._tx() as db:
            async with db.execute(select, params) as cur:
                ids = [r[0] for r in await cur.fetchall()]
            for conversation_id in ids:
                await writes.erase_content(db, conversation_id, now)
                await writes.forget_identity(db, conversation_id, now)
            if ids:
                await writes.audit(db, now, "retention", action, None, {"conversations": len(ids)})
        if ids:
            await self._after_erase()
        return len(ids)
