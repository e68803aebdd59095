"""The aggregate root on SQLite: conversations, their thread, and the unit of work."""

from __future__ import annotations

import sqlite3
from typing import cast

import aiosqlite

from bot.store.errors import AlreadyProcessed, Conflict, StoreError
from bot.store.records import CommitResult, Conversation, ThreadEntry, UnitOfWork
from bot.store.roles import ConversationStore
from bot.store.sqlite import media, rows, writes
from bot.store.sqlite.db import SQLiteDatabase, transaction
from bot.store.sqlite.inline import InlineConnection, run_inline


class SQLiteConversations(SQLiteDatabase, ConversationStore):
    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        row = await self._read_one(f"{rows.CONVERSATION_SELECT} WHERE c.id = ?", (conversation_id,))
        return rows.conversation(row) if row else None

    async def find_conversation(self, channel: str, user_id: str) -> Conversation | None:
        row = await self._read_one(
            f"{rows.CONVERSATION_SELECT} WHERE c.channel = ? AND c.user_id = ?", (channel, user_id)
        )
        return rows.conversation(row) if row else None

    async def commit(self, uow: UnitOfWork, now: float) -> CommitResult:
        result = await self._in_writer(
            transaction, lambda conn: run_inline(_apply(_inline(conn), uow, now))
        )
        _settle(uow, result)
        if uow.erase:
            await self._after_erase()
        return result

    async def commit_many(
        self, uows: list[UnitOfWork], now: float
    ) -> list[CommitResult | StoreError]:
        results = await self._in_writer(transaction, lambda conn: _apply_many(conn, uows, now))
        for uow, result in zip(uows, results, strict=True):
            if isinstance(result, CommitResult):
                _settle(uow, result)
        if any(u.erase for u in uows):
            await self._after_erase()
        return results

    async def thread(self, conversation_id: str, limit: int = 200) -> list[ThreadEntry]:
        found = await self._read_all(
            f"SELECT {rows.THREAD_COLUMNS} FROM messages WHERE conversation_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (conversation_id, limit),
        )
        return [rows.thread_entry(r) for r in reversed(found)]

    async def erase_conversation(
        self, conversation_id: str, now: float, *, actor: str, action: str
    ) -> list[str]:
        async with self._tx() as db:
            async with db.execute(
                "SELECT id FROM tickets WHERE conversation_id = ? AND status != 'closed'",
                (conversation_id,),
            ) as cur:
                still_open = [r[0] for r in await cur.fetchall()]
            await writes.erase_content(db, conversation_id, now)
            await writes.forget_identity(db, conversation_id, now)
            await writes.audit(
                db, now, actor, action, conversation_id, {"tickets_closed": len(still_open)}
            )
        await self._after_erase()
        return still_open


def _inline(conn: sqlite3.Connection) -> aiosqlite.Connection:
    """The writer's own connection, with the interface the write helpers are written for."""
    return cast(aiosqlite.Connection, InlineConnection(conn))


def _apply_many(
    conn: sqlite3.Connection, uows: list[UnitOfWork], now: float
) -> list[CommitResult | StoreError]:
    """Many units in one transaction, in the writer's thread: a conflict undoes that unit only."""
    db = _inline(conn)
    results: list[CommitResult | StoreError] = []
    for uow in uows:
        conn.execute("SAVEPOINT uow")
        try:
            results.append(run_inline(_apply(db, uow, now)))
        except (Conflict, AlreadyProcessed) as exc:
            conn.execute("ROLLBACK TO uow")
            results.append(exc)
        conn.execute("RELEASE uow")
    return results


def _settle(uow: UnitOfWork, result: CommitResult) -> None:
    """The caller's record now matches what was stored."""
    uow.conversation.version += 1
    uow.conversation.ticket_id = result.ticket_id


async def _apply(db: aiosqlite.Connection, uow: UnitOfWork, now: float) -> CommitResult:
    """Write one unit of work inside the caller's transaction; raise before writing on refusal."""
    c = uow.conversation
    if uow.inbox_id is not None:
        # First, so an erasure below leaves this row alone; a second commit is refused.
        cur = await db.execute(
            "UPDATE inbox SET status = 'done', event = NULL, processed_at = ? "
            "WHERE id = ? AND status = 'pending'",
            (now, uow.inbox_id),
        )
        if cur.rowcount != 1:
            raise AlreadyProcessed(f"inbox {uow.inbox_id} was already processed")
    cur = await db.execute(
        "SELECT 1 FROM conversations WHERE id = ? AND version = ?", (c.id, c.version)
    )
    if await cur.fetchone() is None:
        raise Conflict("conversation changed meanwhile")
    ticket_id = c.ticket_id
    if uow.open_ticket is not None:
        ticket_id = await writes.insert_ticket(db, c, uow.open_ticket, now)
    if ticket_id is not None:
        for change in uow.ticket_changes:
            await writes.apply_ticket_change(db, ticket_id, change)
    if uow.erase:
        await writes.erase_content(db, c.id, now)
        ticket_id = None
        c.profile, c.scratch, c.consent_at, c.consent_version = {}, {}, None, None
    await db.execute(
        "UPDATE conversations SET mode = ?, state = ?, profile = ?, scratch = ?, source = ?, "
        "misses = ?, consent_at = ?, consent_version = ?, ticket_id = ?, last_inbound_at = ?, "
        "updated_at = ?, user_id = ?, version = version + 1 WHERE id = ?",
        (
            c.mode,
            c.state,
            rows.dumps(c.profile),
            rows.dumps(c.scratch),
            c.source,
            c.misses,
            c.consent_at,
            c.consent_version,
            ticket_id,
            c.last_inbound_at,
            now,
            f"erased:{c.id}" if uow.forget_identity else c.user_id,
            c.id,
        ),
    )
    thread_ids = [await writes.insert_thread(db, c.id, ticket_id, e, now) for e in uow.thread]
    outbox_ids, reply_lines = [], []
    for reply in uow.replies:
        # After an erasure nothing personal is written again, not even our own words.
        message_id = (
            None
            if uow.erase
            else await writes.insert_thread(
                db,
                c.id,
                ticket_id,
                ThreadEntry(
                    direction="out",
                    author=reply.author,
                    text=reply.text,
                    staff_id=reply.staff_id,
                    buttons=tuple((b.title, b.payload) for b in reply.buttons),
                    status="pending",
                ),
                now,
            )
        )
        reply_lines.append(message_id)
        cur = await db.execute(
            "INSERT INTO outbox (conversation_id, message_id, channel, user_id, reply, "
            "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (c.id, message_id, c.channel, c.user_id, rows.dumps(reply.to_dict()), now, now),
        )
        assert cur.lastrowid is not None
        outbox_ids.append(cur.lastrowid)
        await cur.close()
    await media.link_in_commit(db, uow, thread_ids, reply_lines, now)
    for action, details in uow.audit:
        await writes.audit(db, now, "bot", action, c.id, details)
    return CommitResult(ticket_id, tuple(outbox_ids), tuple(thread_ids))
