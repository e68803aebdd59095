"""The inbox's batch: every waiting webhook's event saved in one durable transaction."""

from __future__ import annotations

import secrets
import sqlite3

from bot.events import InboundEvent

Saved = tuple[str, int] | None  # (conversation id, inbox id), or None for a redelivery
Pending = tuple[InboundEvent, float]


def ingest_batch(conn: sqlite3.Connection, items: list[Pending]) -> list[Saved]:
    """Save each event once, in one durable transaction; runs in the writer's thread.

    synchronous=FULL for this transaction only: the platforms are told "saved" after it, so it
    must survive a power loss, not only a crash (the rest of the store runs at NORMAL).
    """
    conn.execute("PRAGMA synchronous=FULL")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            saved = [_ingest_one(conn, event, now) for event, now in items]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA synchronous=NORMAL")
    return saved


def _ingest_one(conn: sqlite3.Connection, event: InboundEvent, now: float) -> Saved:
    if _first(
        conn,
        "SELECT 1 FROM inbox WHERE channel = ? AND event_id = ?",
        (event.channel, event.event_id),
    ):
        return None
    row = _first(
        conn,
        "SELECT id FROM conversations WHERE channel = ? AND user_id = ?",
        (event.channel, event.user_id),
    )
    if row:
        conversation_id = row[0]
    else:
        conversation_id = secrets.token_hex(12)
        conn.execute(
            "INSERT INTO conversations (id, channel, user_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (conversation_id, event.channel, event.user_id, now, now),
        )
    cur = conn.execute(
        "INSERT INTO inbox (channel, event_id, conversation_id, event, received_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (event.channel, event.event_id, conversation_id, event.to_json(), now),
    )
    assert cur.lastrowid is not None
    return conversation_id, cur.lastrowid


def _first(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> tuple | None:
    """The first row, its statement reset at once (COMMIT fails while one is in progress)."""
    cur = conn.execute(sql, params)
    try:
        return cur.fetchone()
    finally:
        cur.close()
