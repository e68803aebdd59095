"""The figures on SQLite: one GROUP BY over conversations, one scan of the period's tickets."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Any

from bot.store.roles_figures import ConversationGroup, FiguresStore, TicketFact
from bot.store.sqlite.db import SQLiteDatabase

DAY = 86400  # the daily counts' days are UTC days
_TRAITS = (
    "channel, source, json_extract(profile, '$.commune'), json_extract(profile, '$.territory'), "
    "json_extract(profile, '$.need'), json_extract(profile, '$.age'), consent_at IS NOT NULL"
)


def _known(value: Any) -> Any:
    """The daily counts keep a missing trait as '' (NULLs would not meet in their key)."""
    return None if value == "" else value


def _age(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class SQLiteFigures(SQLiteDatabase, FiguresStore):
    async def conversation_groups(
        self, start: float, end: float, territory: str | None = None
    ) -> list[ConversationGroup]:
        # Whole UTC days from the daily counts; the period's partial days (a local midnight is
        # not a UTC one) from the conversations themselves.
        first, last = math.ceil(start / DAY), math.floor(end / DAY)
        if first >= last:
            return await self._groups_of_rows(start, end, territory)
        counts: Counter[ConversationGroup] = Counter()
        for part in (
            await self._groups_of_rows(start, end, territory, besides=(first, last)),
            await self._groups_of_days(first, last, territory),
        ):
            for g in part:
                counts[replace(g, count=0)] += g.count
        return [replace(group, count=n) for group, n in counts.items()]

    async def _groups_of_days(
        self, first: int, last: int, territory: str | None
    ) -> list[ConversationGroup]:
        where = "day >= ? AND day < ?"
        params: list[Any] = [first, last]
        if territory is not None:
            where += " AND territory = ?"
            params.append(territory)
        found = await self._read_all(
            "SELECT channel, source, commune, territory, need, age, consented, SUM(count) "
            f"FROM conversation_days WHERE {where} GROUP BY 1, 2, 3, 4, 5, 6, 7 "
            "HAVING SUM(count) > 0",
            params,
        )
        return [
            ConversationGroup(
                ch, _known(src), _known(com), _known(ter), _known(need), _age(age), bool(ok), n
            )
            for ch, src, com, ter, need, age, ok, n in found
        ]

    async def _groups_of_rows(
        self,
        start: float,
        end: float,
        territory: str | None,
        besides: tuple[int, int] | None = None,
    ) -> list[ConversationGroup]:
        where = "created_at >= ? AND created_at < ?"
        params: list[Any] = [start, end]
        if besides is not None:
            # The very expression the daily counts are keyed by: no row counted twice.
            # The very expression the daily counts are keyed by: no row counted twice. The
            # ranges a second wider only let the index skip the whole days.
            where += (
                " AND (created_at < ? OR created_at >= ?)"
                " AND CAST(created_at / 86400 AS INTEGER) NOT BETWEEN ? AND ?"
            )
            params += [besides[0] * DAY + 1, besides[1] * DAY - 1, besides[0], besides[1] - 1]
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
