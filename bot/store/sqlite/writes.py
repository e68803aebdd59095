"""Statements shared by several roles, run inside a caller's write transaction."""

from __future__ import annotations

import secrets
from typing import Any, assert_never

import aiosqlite

from bot.store.records import (
    CloseTicket,
    Conversation,
    CounsellorReplied,
    SetAcknowledged,
    SetPriority,
    ThreadEntry,
    TicketChange,
    TicketDraft,
)
from bot.store.sqlite.rows import dumps


def new_ticket_id() -> str:
    """Opaque and unguessable: ticket ids appear in URLs."""
    return secrets.token_urlsafe(12)


async def insert_ticket(
    db: aiosqlite.Connection, c: Conversation, draft: TicketDraft, now: float
) -> str:
    ticket_id = new_ticket_id()
    await db.execute(
        "INSERT INTO tickets (id, conversation_id, priority, reason, snapshot, channel, source, "
        "territory, created_at, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ticket_id,
            c.id,
            draft.priority,
            draft.reason,
            dumps(draft.snapshot),
            c.channel,
            c.source,
            draft.territory,
            now,
            now,
        ),
    )
    return ticket_id


async def apply_ticket_change(
    db: aiosqlite.Connection, ticket_id: str, change: TicketChange
) -> None:
    params: tuple[Any, ...]
    match change:
        case SetPriority(priority):
            sql, params = "priority = ?", (priority,)
        case SetAcknowledged(acked):
            sql, params = "acked = ?", (int(acked),)
        case CounsellorReplied(at):
            sql, params = "acked = 0, first_reply_at = COALESCE(first_reply_at, ?)", (at,)
        case CloseTicket(outcome, at):
            sql, params = "status = 'closed', outcome = ?, closed_at = ?", (outcome, at)
        case _:
            assert_never(change)
    await db.execute(f"UPDATE tickets SET {sql} WHERE id = ?", (*params, ticket_id))


async def insert_thread(
    db: aiosqlite.Connection,
    conversation_id: str,
    ticket_id: str | None,
    entry: ThreadEntry,
    now: float,
) -> int:
    cur = await db.execute(
        "INSERT INTO messages (conversation_id, ticket_id, direction, author, staff_id, text, "
        "buttons, status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            conversation_id,
            ticket_id,
            entry.direction,
            entry.author,
            entry.staff_id,
            entry.text,
            dumps([list(b) for b in entry.buttons]),
            entry.status,
            entry.error,
            now,
        ),
    )
    assert cur.lastrowid is not None
    message_id = cur.lastrowid
    await cur.close()
    return message_id


async def bump_conversation(
    db: aiosqlite.Connection, ticket_id: str, now: float, **changes: object
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


async def requeue(
    db: aiosqlite.Connection, ticket_id: str, territory: str | None, now: float
) -> None:
    await db.execute(
        "UPDATE tickets SET status = 'waiting', assigned_to = NULL, acked = 0, alerted_at = NULL, "
        "territory = COALESCE(?, territory), queued_at = ? WHERE id = ?",
        (territory, now, ticket_id),
    )
    await bump_conversation(db, ticket_id, now, mode="waiting")


async def erase_content(db: aiosqlite.Connection, conversation_id: str, now: float) -> None:
    """Erase every personal trace of a conversation; anonymous ticket facts stay for figures."""
    await db.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
    # A link says which other conversation is the same youth: gone with the content.
    await db.execute("DELETE FROM conversation_links WHERE a = ?1 OR b = ?1", (conversation_id,))
    await db.execute("DELETE FROM media WHERE conversation_id = ?", (conversation_id,))
    for table in ("ticket_notes", "meetings"):  # staff notes and meetings speak of the youth
        await db.execute(
            f"DELETE FROM {table} WHERE ticket_id IN "
            "(SELECT id FROM tickets WHERE conversation_id = ?)",
            (conversation_id,),
        )
    await db.execute(
        'UPDATE outbox SET reply = \'{"text": ""}\', status = CASE WHEN status IN '
        "('pending', 'sending') THEN 'erased' ELSE status END WHERE conversation_id = ?",
        (conversation_id,),
    )
    await db.execute(
        "UPDATE inbox SET event = NULL, status = CASE status WHEN 'pending' THEN 'skipped:erased' "
        "ELSE status END WHERE conversation_id = ?",
        (conversation_id,),
    )
    await db.execute(
        "UPDATE tickets SET snapshot = '{}', status = 'closed', "
        "outcome = COALESCE(outcome, 'erased'), closed_at = COALESCE(closed_at, ?) "
        "WHERE conversation_id = ?",
        (now, conversation_id),
    )


async def forget_identity(db: aiosqlite.Connection, conversation_id: str, now: float) -> None:
    """Leave only an anonymous shell: no profile, no scratch, no consent, no platform user id."""
    await db.execute(
        "UPDATE conversations SET profile = '{}', scratch = '{}', consent_at = NULL, "
        "consent_version = NULL, state = 'new', mode = 'bot', ticket_id = NULL, "
        "user_id = 'erased:' || id, updated_at = ?, version = version + 1 WHERE id = ?",
        (now, conversation_id),
    )
    # Delivery records keep the platform user id too; only undelivered ones still need it.
    await db.execute(
        "UPDATE outbox SET user_id = 'erased:' || conversation_id "
        "WHERE conversation_id = ? AND status NOT IN ('pending', 'sending')",
        (conversation_id,),
    )


async def audit(
    db: aiosqlite.Connection,
    now: float,
    actor: str,
    action: str,
    target: str | None,
    details: dict[str, object],
) -> None:
    await db.execute(
        "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)",
        (now, actor, action, target, dumps(details)),
    )
