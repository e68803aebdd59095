"""Notes, meetings, canned replies and the audit log on SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.store.records import AuditEntry, CannedReply, Meeting, Note
from bot.store.roles_handoff import AuditStore, NotesStore
from bot.store.sqlite import writes
from bot.store.sqlite.db import SQLiteDatabase


class SQLiteNotes(SQLiteDatabase, NotesStore, AuditStore):
    async def add_note(self, ticket_id: str, staff_id: int, text: str, now: float) -> Note:
        async with self._tx() as db:
            cur = await db.execute(
                "INSERT INTO ticket_notes (ticket_id, staff_id, text, created_at) "
                "VALUES (?, ?, ?, ?)",
                (ticket_id, staff_id, text, now),
            )
            assert cur.lastrowid is not None
        return Note(cur.lastrowid, ticket_id, staff_id, text, now)

    async def notes(self, ticket_id: str) -> list[Note]:
        found = await self._read_all(
            "SELECT id, ticket_id, staff_id, text, created_at FROM ticket_notes "
            "WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        )
        return [Note(*r) for r in found]

    async def add_meeting(
        self,
        ticket_id: str,
        staff_id: int,
        day: str,
        time: str,
        place: str,
        message_id: int | None,
        now: float,
    ) -> Meeting:
        async with self._tx() as db:
            cur = await db.execute(
                "INSERT INTO meetings (ticket_id, staff_id, day, time, place, message_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ticket_id, staff_id, day, time, place, message_id, now),
            )
            assert cur.lastrowid is not None
        return Meeting(cur.lastrowid, ticket_id, staff_id, day, time, place, message_id, now)

    async def meetings(self, ticket_id: str) -> list[Meeting]:
        found = await self._read_all(
            "SELECT id, ticket_id, staff_id, day, time, place, message_id, created_at "
            "FROM meetings WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        )
        return [Meeting(*r) for r in found]

    async def canned_replies(self) -> list[CannedReply]:
        found = await self._read_all("SELECT title, text FROM canned_replies ORDER BY position")
        return [CannedReply(*r) for r in found]

    async def replace_canned_replies(self, replies: list[CannedReply]) -> None:
        async with self._tx() as db:
            await db.execute("DELETE FROM canned_replies")
            await db.executemany(
                "INSERT INTO canned_replies (position, title, text) VALUES (?, ?, ?)",
                [(i, r.title, r.text) for i, r in enumerate(replies)],
            )

    async def audit(
        self, actor: str, action: str, target: str | None, details: dict[str, Any], now: float
    ) -> None:
        async with self._tx() as db:
            await writes.audit(db, now, actor, action, target, details)

    async def audit_trail(self, targets: Iterable[str]) -> list[AuditEntry]:
        wanted = list(targets)
        if not wanted:
            return []
        found = await self._read_all(
            "SELECT id, at, actor, action, target, details FROM audit "
            f"WHERE target IN ({','.join('?' * len(wanted))}) ORDER BY id",
            wanted,
        )
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in found]
