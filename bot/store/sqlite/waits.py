"""Stored waits on SQLite: counts and percentiles read from columns and their indexes."""

from __future__ import annotations

from typing import Any

from bot.store.roles_waits import STEPS, Step, TicketFunnel, Waits, WaitStore, WaitToStore
from bot.store.sqlite.db import SQLiteDatabase

_COLUMNS = {
    ("claim", False): "claim_raw",
    ("claim", True): "claim_office",
    ("reply", False): "reply_raw",
    ("reply", True): "reply_office",
}


def _period(start: float, end: float, territory: str | None) -> tuple[str, list[Any]]:
    params: list[Any]
    where, params = "created_at >= ? AND created_at < ?", [start, end]
    if territory is not None:
        where += " AND territory = ?"
        params.append(territory)
    return where, params


class SQLiteWaits(SQLiteDatabase, WaitStore):
    async def ticket_funnel(
        self, start: float, end: float, territory: str | None = None
    ) -> TicketFunnel:
        where, params = _period(start, end, territory)
        found = await self._read_all(
            "SELECT closed_at IS NOT NULL, outcome, COUNT(*), SUM(reason = 'intake_done'), "
            "COUNT(claimed_at), COUNT(first_reply_at), "
            f"{', '.join(f'COUNT({_COLUMNS[s]})' for s in STEPS)} FROM tickets "
            f"WHERE {where} GROUP BY 1, 2",
            params,
        )
        closed: dict[str | None, int] = {}
        totals = [0] * 8
        for is_closed, outcome, *counts in found:
            totals = [t + int(c or 0) for t, c in zip(totals, counts, strict=True)]
            if is_closed:
                closed[outcome] = closed.get(outcome, 0) + int(counts[0])
        tickets, intake, claimed, replied, *stored = totals
        waits = dict(zip(STEPS, stored, strict=True))
        return TicketFunnel(tickets, intake, claimed, replied, closed, waits)

    async def waits_to_store(
        self, start: float, end: float, territory: str | None = None
    ) -> list[WaitToStore]:
        where, params = _period(start, end, territory)
        found = await self._read_all(
            "SELECT id, created_at, claimed_at, first_reply_at FROM tickets "
            f"WHERE {where} AND (claim_at IS NOT claimed_at OR reply_at IS NOT first_reply_at)",
            params,
        )
        return [WaitToStore(*row) for row in found]

    async def store_waits(self, waits: list[Waits]) -> None:
        rows = [
            (
                *(w.claimed_at, w.claim_raw, w.claim_office),
                *(w.first_reply_at, w.reply_raw, w.reply_office),
                *(w.ticket_id, w.claimed_at, w.first_reply_at),
            )
            for w in waits
        ]
        async with self._tx() as db:
            # Only if the claim and reply are still those the waits were computed for.
            await db.executemany(
                "UPDATE tickets SET claim_at = ?, claim_raw = ?, claim_office = ?, reply_at = ?, "
                "reply_raw = ?, reply_office = ? WHERE id = ? AND claimed_at IS ? "
                "AND first_reply_at IS ?",
                rows,
            )

    async def waits_at(
        self,
        step: Step,
        office: bool,
        ranks: list[int],
        start: float,
        end: float,
        territory: str | None = None,
    ) -> list[float | None]:
        column = _COLUMNS[step, office]
        where, params = _period(start, end, territory)
        values: list[float | None] = []
        for at in ranks:
            # The column's index walks the waits in order: no sort of the period's tickets.
            found = await self._read_one(
                f"SELECT {column} FROM tickets INDEXED BY tickets_{column} "
                f"WHERE {column} IS NOT NULL AND {where} ORDER BY {column} LIMIT 1 OFFSET ?",
                [*params, at],
            )
            values.append(found[0] if found else None)
        return values
