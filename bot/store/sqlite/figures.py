"""The figures on SQLite: one GROUP BY over conversations, one scan of the period's tickets."""

from __future__ import annotations

from typing import Any

from bot.store.roles_figures import ConversationGroup, FiguresStore, TicketFact
from bot.store.sqlite.db import SQLiteDatabase

_TRAITS = (
    "channel, source, json_extract(profile, '$.commune'), json_extract(profile, '$.territory'), "
    "json_extract(profile, '$.need'), json_extract(profile, '$.age'), consent_at IS NOT NULL"
)


def _age(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class SQLiteFigures(SQLiteDatabase, FiguresStore):
    async def conversation_groups(
        self, start: float, end: float, territory: str | None = None
    ) -> list[ConversationGroup]:
        where = "created_at >= ? AND created_at < ?"
        params: list[Any] = [start, end]
        if territory is not None:
            where += " AND json_extract(profile, '$.territory') = ?"
            params.append(territory)
        found = await self._read_all(
            f"SELECT {_TRAITS}, COUNT(*) FROM conversations WHERE {where} "
            "GROUP BY 1, 2, 3, 4, 5, 6, 7",
            params,
        )
        return [
            ConversationGroup(ch, src, com, ter, need, _age(age), bool(ok), n)
            for ch, src, com, ter, need, age, ok, n in found
        ]

    async def ticket_facts(
        self, start: float, end: float, territory: str | None = None
    ) -> list[TicketFact]:
        where = "created_at >= ? AND created_at < ?"
        params: list[Any] = [start, end]
        if territory is not None:
            where += " AND territory = ?"
            params.append(territory)
        found = await self._read_all(
            "SELECT channel, source, territory, reason, created_at, claimed_at, first_reply_at, "
            f"closed_at, outcome FROM tickets WHERE {where} ORDER BY created_at, id",
            params,
        )
        return [TicketFact(*row) for row in found]

    async def count_tickets(self, start: float, end: float, territory: str | None = None) -> int:
        where = "created_at >= ? AND created_at < ?"
        params: list[Any] = [start, end]
        if territory is not None:
            where += " AND territory = ?"
            params.append(territory)
        row = await self._read_one(f"SELECT COUNT(*) FROM tickets WHERE {where}", params)
        return int(row[0]) if row else 0
