"""Nobody waits unseen, on SQLite: unanswered held tickets, alert steps, away records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.store.roles_watch import Away, Unanswered, WatchStore
from bot.store.sqlite import rows
from bot.store.sqlite.db import SQLiteDatabase

_COLUMNS = ", ".join(f"t.{c.strip()}" for c in rows.TICKET_COLUMNS.split(","))
# Lines of the ticket, through the conversation's index (conversation_id, id).
_LINES = "FROM messages m WHERE m.conversation_id = t.conversation_id AND m.ticket_id = t.id"
_LAST_ANSWER = f"(SELECT MAX(m.id) {_LINES} AND m.author = 'counsellor')"
_UNANSWERED = (
    f"SELECT {_COLUMNS}, {_LAST_ANSWER}, "
    f"(SELECT m.created_at {_LINES} AND m.author = 'youth' AND m.id > COALESCE({_LAST_ANSWER}, 0) "
    "ORDER BY m.id LIMIT 1) "
    "FROM tickets t WHERE t.status = 'assigned' ORDER BY t.claimed_at, t.id LIMIT ?"
)


def unanswered(row: tuple[Any, ...]) -> Unanswered | None:
    """The wait of a held ticket from its row; None when its youth has an answer."""
    ticket, last_answer, first_after = rows.ticket(row[:-2]), row[-2], row[-1]
    claimed = ticket.claimed_at or ticket.created_at
    if last_answer is None:
        return Unanswered(ticket, claimed)
    if first_after is None:
        return None
    return Unanswered(ticket, max(first_after, claimed))


class SQLiteWatch(SQLiteDatabase, WatchStore):
    async def unanswered_claims(self, limit: int = 1000) -> list[Unanswered]:
        found = [unanswered(r) for r in await self._read_all(_UNANSWERED, (limit,))]
        return sorted((u for u in found if u is not None), key=lambda u: u.since)

    async def mark_watch(self, ticket_id: str, step: str, since: float, now: float) -> bool:
        added = await self._change(
            "INSERT INTO watch_marks (ticket_id, step, since, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (ticket_id, step, since, now),
        )
        return added == 1

    async def live_staff(self, seen_since: float) -> set[int]:
        found = await self._read_all(
            "SELECT DISTINCT staff_id FROM staff_sessions WHERE last_seen_at >= ?", (seen_since,)
        )
        return {r[0] for r in found}

    async def set_absent(self, staff_id: int, absent: bool, now: float) -> None:
        if absent:
            await self._change(
                "INSERT INTO staff_away (staff_id, absent, since) VALUES (?, 1, ?) "
                "ON CONFLICT (staff_id) DO UPDATE SET absent = 1, "
                "since = COALESCE(staff_away.since, excluded.since)",
                (staff_id, now),
            )
        else:
            await self._change("DELETE FROM staff_away WHERE staff_id = ?", (staff_id,))

    async def away_records(self, staff_ids: Iterable[int] | None = None) -> dict[int, Away]:
        sql, params = "SELECT staff_id, absent, since FROM staff_away", tuple[int, ...]()
        if staff_ids is not None:
            ids = tuple(staff_ids)
            sql += f" WHERE staff_id IN ({', '.join('?' * len(ids))})" if ids else " WHERE 0"
            params = ids
        return {r[0]: Away(r[0], bool(r[1]), r[2]) for r in await self._read_all(sql, params)}

    async def mark_away(self, staff_id: int, now: float) -> float:
        [(since,)] = await self._write_rows(
            "INSERT INTO staff_away (staff_id, absent, since) VALUES (?, 0, ?) "
            "ON CONFLICT (staff_id) DO UPDATE SET since = COALESCE(staff_away.since, "
            "excluded.since) RETURNING since",
            (staff_id, now),
        )
        return float(since)

    async def clear_away(self, staff_id: int) -> None:
        await self._change("DELETE FROM staff_away WHERE staff_id = ? AND absent = 0", (staff_id,))
