"""The handoff store on the embedded SQLite file: same connections, same write lock as the bot."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import aiosqlite

from bot.store.legacy import Ticket
from bot.store.sqlite import _TICKET_COLUMNS, _ticket
from handoff.store import (
    AuditEntry,
    CannedReply,
    HandoffStore,
    Meeting,
    NewStaff,
    Note,
    QueuedTicket,
    Staff,
)
from handoff.store_sqlite_auth import STAFF_COLUMNS, SQLiteSessions, insert_staff, staff_row

_ORDER = {
    "waiting": "CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, COALESCE(queued_at, created_at), id",
    "assigned": "claimed_at DESC, id DESC",
    "closed": "closed_at DESC, id DESC",
}
_NOT_CLOSED = "status != 'closed'"
_HELD_BY = "status = 'assigned' AND assigned_to = ?"
ERASED_BY_COORDINATOR = "erased_by_coordinator"  # the audit action of a staff erasure


def _queued(r: tuple[Any, ...]) -> QueuedTicket:
    return QueuedTicket(_ticket(r[:-1]), r[-1])


async def _bump_conversation(
    db: aiosqlite.Connection, ticket_id: int, now: float, **changes: Any
) -> None:
    """Set fields of the ticket's conversation (if still its ticket) and bump its version."""
    assignments = "".join(
        f"{name} = CASE WHEN ticket_id = :tid THEN :{name} ELSE {name} END, " for name in changes
    )
    await db.execute(
        f"UPDATE conversations SET {assignments}version = version + 1, updated_at = :now "
        "WHERE id = (SELECT conversation_id FROM tickets WHERE id = :tid)",
        {"tid": ticket_id, "now": now, **changes},
    )


async def _requeue(
    db: aiosqlite.Connection, ticket_id: int, territory: str | None, now: float
) -> None:
    await db.execute(
        "UPDATE tickets SET status = 'waiting', assigned_to = NULL, acked = 0, alerted_at = NULL, "
        "territory = COALESCE(?, territory), queued_at = ? WHERE id = ?",
        (territory, now, ticket_id),
    )
    await _bump_conversation(db, ticket_id, now, mode="waiting")


class SQLiteHandoffStore(SQLiteSessions, HandoffStore):
    """Uses the SQLiteStore's writer (behind its lock) and reader; sessions from SQLiteSessions."""

    # --- staff accounts ------------------------------------------------------
    async def count_staff(self) -> int:
        row = await self._one("SELECT COUNT(*) FROM staff")
        return int(row[0]) if row else 0

    async def create_staff(self, new: NewStaff, now: float) -> Staff:
        async with self.store._tx() as db:
            return await insert_staff(db, new, now)

    async def get_staff(self, staff_id: int) -> Staff | None:
        row = await self._one(f"SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?", (staff_id,))
        return staff_row(row) if row else None

    async def find_login(self, email: str) -> tuple[Staff, str] | None:
        row = await self._one(
            f"SELECT {STAFF_COLUMNS}, password_hash FROM staff WHERE email = ?", (email.lower(),)
        )
        return (staff_row(row[:-1]), row[-1]) if row else None

    async def list_staff(self) -> list[Staff]:
        rows = await self._all(
            f"SELECT {STAFF_COLUMNS} FROM staff ORDER BY active DESC, display_name, id"
        )
        return [staff_row(r) for r in rows]

    async def set_password_hash(self, staff_id: int, password_hash: str) -> None:
        await self._change(
            "UPDATE staff SET password_hash = ? WHERE id = ?", (password_hash, staff_id)
        )

    async def disable_staff(self, staff_id: int, now: float) -> list[int]:
        async with self.store._tx() as db:
            await db.execute(
                "UPDATE staff SET active = 0, disabled_at = COALESCE(disabled_at, ?) WHERE id = ?",
                (now, staff_id),
            )
            await db.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
            async with db.execute(
                "SELECT id FROM tickets WHERE status = 'assigned' AND assigned_to = ?", (staff_id,)
            ) as cur:
                held = [r[0] for r in await cur.fetchall()]
            for ticket_id in held:
                await _requeue(db, ticket_id, None, now)
        return held

    # --- tickets: reading ------------------------------------------------------
    async def queued(
        self, status: str, *, assigned_to: int | None = None, limit: int = 200
    ) -> list[QueuedTicket]:
        where, params = "status = ?", [status]
        if assigned_to is not None:
            where, params = f"{where} AND assigned_to = ?", [status, assigned_to]
        rows = await self._all(
            f"SELECT {_TICKET_COLUMNS}, COALESCE(queued_at, created_at) FROM tickets "
            f"WHERE {where} ORDER BY {_ORDER.get(status, 'id DESC')} LIMIT ?",
            (*params, limit),
        )
        return [_queued(r) for r in rows]

    async def queued_one(self, ticket_id: int) -> QueuedTicket | None:
        row = await self._one(
            f"SELECT {_TICKET_COLUMNS}, COALESCE(queued_at, created_at) FROM tickets WHERE id = ?",
            (ticket_id,),
        )
        return _queued(row) if row else None

    async def thread_id_of_outbox(self, outbox_id: int) -> int | None:
        row = await self._one("SELECT message_id FROM outbox WHERE id = ?", (outbox_id,))
        return row[0] if row else None

    # --- tickets: moves --------------------------------------------------------
    async def claim(self, ticket_id: int, staff_id: int, now: float) -> bool:
        async with self.store._tx() as db:
            cur = await db.execute(
                "UPDATE tickets SET status = 'assigned', assigned_to = ?, claimed_at = ? "
                "WHERE id = ? AND status = 'waiting'",
                (staff_id, now, ticket_id),
            )
            if cur.rowcount != 1:
                return False
            await _bump_conversation(db, ticket_id, now, mode="human")
        return True

    async def assign(
        self, ticket_id: int, staff_id: int, now: float, *, holder: int | None
    ) -> bool:
        where, params = _guard(ticket_id, holder)
        async with self.store._tx() as db:
            cur = await db.execute(
                "UPDATE tickets SET status = 'assigned', assigned_to = ?, "
                f"claimed_at = COALESCE(claimed_at, ?) WHERE {where}",
                (staff_id, now, *params),
            )
            if cur.rowcount != 1:
                return False
            await _bump_conversation(db, ticket_id, now, mode="human")
        return True

    async def requeue(
        self, ticket_id: int, territory: str | None, now: float, *, holder: int | None
    ) -> bool:
        where, params = _guard(ticket_id, holder)
        async with self.store._tx() as db:
            async with db.execute(f"SELECT 1 FROM tickets WHERE {where}", params) as cur:
                if await cur.fetchone() is None:
                    return False
            await _requeue(db, ticket_id, territory, now)
        return True

    async def close(self, ticket_id: int, outcome: str, now: float, *, holder: int | None) -> bool:
        where, params = _guard(ticket_id, holder)
        async with self.store._tx() as db:
            cur = await db.execute(
                f"UPDATE tickets SET status = 'closed', outcome = ?, closed_at = ? WHERE {where}",
                (outcome, now, *params),
            )
            if cur.rowcount != 1:
                return False
            await _bump_conversation(db, ticket_id, now, mode="bot", state="done", misses=0)
        return True

    async def mark_alerted(self, ticket_id: int, now: float) -> bool:
        changed = await self._change(
            "UPDATE tickets SET alerted_at = ? WHERE id = ? AND status = 'waiting' "
            "AND alerted_at IS NULL",
            (now, ticket_id),
        )
        return changed == 1

    # --- notes, meetings, canned replies, audit ---------------------------------
    async def add_note(self, ticket_id: int, staff_id: int, text: str, now: float) -> Note:
        async with self.store._tx() as db:
            cur = await db.execute(
                "INSERT INTO ticket_notes (ticket_id, staff_id, text, created_at) "
                "VALUES (?, ?, ?, ?)",
                (ticket_id, staff_id, text, now),
            )
            assert cur.lastrowid is not None
        return Note(cur.lastrowid, ticket_id, staff_id, text, now)

    async def notes(self, ticket_id: int) -> list[Note]:
        rows = await self._all(
            "SELECT id, ticket_id, staff_id, text, created_at FROM ticket_notes "
            "WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        )
        return [Note(*r) for r in rows]

    async def add_meeting(
        self,
        ticket_id: int,
        staff_id: int,
        day: str,
        time: str,
        place: str,
        message_id: int | None,
        now: float,
    ) -> Meeting:
        async with self.store._tx() as db:
            cur = await db.execute(
                "INSERT INTO meetings (ticket_id, staff_id, day, time, place, message_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ticket_id, staff_id, day, time, place, message_id, now),
            )
            assert cur.lastrowid is not None
        return Meeting(cur.lastrowid, ticket_id, staff_id, day, time, place, message_id, now)

    async def meetings(self, ticket_id: int) -> list[Meeting]:
        rows = await self._all(
            "SELECT id, ticket_id, staff_id, day, time, place, message_id, created_at "
            "FROM meetings WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        )
        return [Meeting(*r) for r in rows]

    async def canned_replies(self) -> list[CannedReply]:
        rows = await self._all("SELECT title, text FROM canned_replies ORDER BY position")
        return [CannedReply(*r) for r in rows]

    async def replace_canned_replies(self, replies: list[CannedReply]) -> None:
        async with self.store._tx() as db:
            await db.execute("DELETE FROM canned_replies")
            await db.executemany(
                "INSERT INTO canned_replies (position, title, text) VALUES (?, ?, ?)",
                [(i, r.title, r.text) for i, r in enumerate(replies)],
            )

    async def audit(
        self, actor: str, action: str, target: str | None, details: dict[str, Any], now: float
    ) -> None:
        await self._change(
            "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)",
            (now, actor, action, target, json.dumps(details)),
        )

    async def territories(self) -> list[str]:
        rows = await self._all(
            "SELECT territory FROM staff WHERE territory IS NOT NULL AND active = 1 "
            "UNION SELECT territory FROM tickets WHERE territory IS NOT NULL ORDER BY 1"
        )
        return [r[0] for r in rows]

    # --- a youth's data rights: export and erasure --------------------------------
    async def conversation_tickets(self, conversation_id: str) -> list[Ticket]:
        rows = await self._all(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        return [_ticket(r) for r in rows]

    async def audit_trail(self, targets: Iterable[str]) -> list[AuditEntry]:
        wanted = list(targets)
        if not wanted:
            return []
        rows = await self._all(
            "SELECT id, at, actor, action, target, details FROM audit "
            f"WHERE target IN ({','.join('?' * len(wanted))}) ORDER BY id",
            wanted,
        )
        return [AuditEntry(*r[:5], json.loads(r[5])) for r in rows]

    async def erase_conversation(self, conversation_id: str, actor: str, now: float) -> list[int]:
        return await self.store.erase_conversation(
            conversation_id, now, actor=actor, action=ERASED_BY_COORDINATOR
        )


def _guard(ticket_id: int, holder: int | None) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause of a move: any open ticket, or only one `holder` holds."""
    if holder is None:
        return f"id = ? AND {_NOT_CLOSED}", (ticket_id,)
    return f"id = ? AND {_HELD_BY}", (ticket_id, holder)
