"""A data file from before the store re-cut (schema 2, integer ticket ids) keeps working."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot.store.sqlite import DB_FILENAME, SQLiteStore
from bot.store.sqlite.schema import MIGRATIONS


def _schema_2_file(path: Path) -> None:
    """The file as the previous release left it: one waiting ticket #7 with its history."""
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        conn.executescript(script)
    conn.executescript(
        """
        PRAGMA user_version=2;
        INSERT INTO conversations (id, channel, user_id, mode, state, profile, ticket_id,
            created_at, updated_at, version)
            VALUES ('c1', 'web', 'u1', 'human', 'done', '{"first_name": "Lina"}', 7, 1, 2, 4);
        INSERT INTO tickets (id, conversation_id, status, priority, reason, snapshot, channel,
            created_at, claimed_at, assigned_to) VALUES (7, 'c1', 'assigned', 'urgent',
            'intake_done', '{"first_name": "Lina"}', 'web', 2, 3, 1);
        INSERT INTO messages (id, conversation_id, ticket_id, direction, author, text, created_at)
            VALUES (40, 'c1', 7, 'in', 'youth', 'bonjour', 2);
        INSERT INTO staff (id, email, display_name, role, password_hash, created_at)
            VALUES (1, 'anne@ml.example', 'Anne', 'counsellor', 'h', 1);
        INSERT INTO ticket_notes (ticket_id, staff_id, text, created_at)
            VALUES (7, 1, 'rappeler', 3);
        INSERT INTO meetings (ticket_id, staff_id, day, time, place, created_at)
            VALUES (7, 1, '2026-12-01', '10:00', 'Verdun', 3);
        INSERT INTO audit (at, actor, action, target) VALUES (3, 'staff:1', 'claimed', 'ticket:7');
        INSERT INTO outbox (conversation_id, channel, user_id, reply, status, next_attempt_at,
            created_at) VALUES ('c1', 'web', 'u1', '{"text": "x"}', 'sending', 2, 2);
        """
    )
    conn.commit()
    conn.close()


async def test_a_schema_2_file_is_migrated_with_its_tickets_renamed_everywhere(
    tmp_path: Path,
) -> None:
    _schema_2_file(tmp_path / DB_FILENAME)
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        conv = await store.get_conversation("c1")
        assert conv is not None and conv.version == 4 and conv.scratch == {}
        ticket_id = conv.ticket_id
        assert (
            ticket_id is not None and ticket_id != "7" and re.fullmatch(r"[0-9a-f]{24}", ticket_id)
        )
        assert (conv.ticket_status, conv.ticket_holder, conv.ticket_priority) == (
            "assigned",
            1,
            "urgent",
        )
        ticket = await store.get_ticket(ticket_id)
        assert ticket is not None and ticket.snapshot == {"first_name": "Lina"}
        assert [n.text for n in await store.notes(ticket_id)] == ["rappeler"]
        assert [m.place for m in await store.meetings(ticket_id)] == ["Verdun"]
        assert [(line.id, line.ticket_id) for line in await store.thread("c1")] == [(40, ticket_id)]
        assert [e.action for e in await store.audit_trail([f"ticket:{ticket_id}"])] == ["claimed"]
        queued = await store.queued_one(ticket_id)
        assert queued is not None and queued.waiting_since == 2
        # The reply in flight when the old release stopped is sent again.
        assert len(await store.outbox_recover(100.0)) == 1
        assert await store.close_ticket(ticket_id, "registered", 10.0, holder=1)
    finally:
        await store.close()
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
