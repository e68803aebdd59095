"""The embedded default store: one SQLite file in WAL mode, writes serialised."""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.events import InboundEvent, OutboxItem, Reply
from bot.store.legacy import (
    AlreadyProcessed,
    CommitResult,
    Conflict,
    Conversation,
    InboxRow,
    Store,
    StoreUnavailable,
    ThreadEntry,
    Ticket,
    TicketStatus,
    UnitOfWork,
)
from bot.store.schema_sqlite import MIGRATIONS

DB_FILENAME = "milomouv.sqlite3"
_CONV_COLUMNS = (
    "id, channel, user_id, mode, state, profile, source, misses, consent_at, consent_version, "
    "ticket_id, last_inbound_at, created_at, updated_at, version"
)
_TICKET_COLUMNS = (
    "id, conversation_id, status, priority, reason, snapshot, channel, source, territory, "
    "created_at, claimed_at, assigned_to, first_reply_at, closed_at, outcome, acked, alerted_at"
)


def _conversation(row: sqlite3.Row | tuple[Any, ...]) -> Conversation:
    r = tuple(row)
    return Conversation(
        id=r[0],
        channel=r[1],
        user_id=r[2],
        mode=r[3],
        state=r[4],
        profile=json.loads(r[5]),
        source=r[6],
        misses=r[7],
        consent_at=r[8],
        consent_version=r[9],
        ticket_id=r[10],
        last_inbound_at=r[11],
        created_at=r[12],
        updated_at=r[13],
        version=r[14],
    )


def _ticket(row: sqlite3.Row | tuple[Any, ...]) -> Ticket:
    r = tuple(row)
    return Ticket(
        id=r[0],
        conversation_id=r[1],
        status=r[2],
        priority=r[3],
        reason=r[4],
        snapshot=json.loads(r[5]),
        channel=r[6],
        source=r[7],
        territory=r[8],
        created_at=r[9],
        claimed_at=r[10],
        assigned_to=r[11],
        first_reply_at=r[12],
        closed_at=r[13],
        outcome=r[14],
        acked=bool(r[15]),
        alerted_at=r[16],
    )


def _thread_entry(r: tuple[Any, ...]) -> ThreadEntry:
    return ThreadEntry(
        id=r[0],
        direction=r[1],
        author=r[2],
        staff_id=r[3],
        text=r[4],
        buttons=tuple(tuple(b) for b in json.loads(r[5])),  # type: ignore[misc]
        status=r[6],
        error=r[7],
        created_at=r[8],
        ticket_id=r[9],
    )


class SQLiteStore(Store):
    """Store in `<data_dir>/milomouv.sqlite3`; a writer connection behind a lock, a reader beside it."""

    def __init__(self, data_dir: Path, busy_timeout_ms: int = 3000) -> None:
        self.path = Path(data_dir) / DB_FILENAME
        self.location = f"sqlite:{self.path.resolve()}"
        self._busy_timeout_ms = busy_timeout_ms
        self._w: aiosqlite.Connection | None = None
        self._r: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    # --- life --------------------------------------------------------------
    async def open(self) -> None:
        try:
            await asyncio.to_thread(self.path.parent.mkdir, parents=True, exist_ok=True)
            self._w = await self._connect()
            await self._w.execute("PRAGMA journal_mode=WAL")
            await self._migrate(self._w)
            self._r = await self._connect()
        except (sqlite3.Error, OSError) as exc:
            await self.close()
            raise StoreUnavailable(
                f"cannot open the SQLite store at {self.path} ({type(exc).__name__}: {exc}); "
                "check MILOMOUV_DATA_DIR, its permissions and the file"
            ) from exc

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            await conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
            # NORMAL in WAL: a commit survives a process crash; only `_tx(durable=True)` (the
            # inbox, acknowledged to the platforms) also waits for the disk, against power loss.
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            async with conn.execute("PRAGMA quick_check(1)") as cur:
                row = await cur.fetchone()
            if not row or row[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
        except BaseException:
            await conn.close()  # its worker thread would keep the process alive
            raise
        return conn

    async def _migrate(self, conn: aiosqlite.Connection) -> None:
        async with conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = int(row[0]) if row else 0
        if current > len(MIGRATIONS):
            raise sqlite3.DatabaseError(
                f"the file has schema version {current}, newer than this code ({len(MIGRATIONS)})"
            )
        for version in range(current, len(MIGRATIONS)):
            await conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(MIGRATIONS[version]):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version={version + 1}")
                await conn.execute("COMMIT")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise

    async def close(self) -> None:
        for conn in (self._r, self._w):
            if conn is not None:
                try:
                    await conn.close()
                except (sqlite3.Error, ValueError):
                    pass
        self._r = self._w = None

    async def ping(self) -> bool:
        try:
            await self._read_one("SELECT 1")
            return True
        except StoreUnavailable:
            return False

    # --- plumbing ----------------------------------------------------------
    @asynccontextmanager
    async def _tx(self, durable: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """One serialised write transaction; sqlite errors become StoreUnavailable."""
        if self._w is None:
            raise StoreUnavailable("the store is not open")
        async with self._lock:
            conn = self._w
            try:
                if durable:
                    await conn.execute("PRAGMA synchronous=FULL")
                await conn.execute("BEGIN IMMEDIATE")
            except (sqlite3.Error, ValueError) as exc:  # aiosqlite: ValueError once closed
                raise StoreUnavailable(f"store write failed ({type(exc).__name__})") from exc
            try:
                yield conn
                await conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    await conn.execute("ROLLBACK")
                except (sqlite3.Error, ValueError):
                    pass
                if _is_store_error(exc):
                    raise StoreUnavailable(f"store write failed ({type(exc).__name__})") from exc
                raise
            finally:
                if durable:
                    try:
                        await conn.execute("PRAGMA synchronous=NORMAL")
                    except (sqlite3.Error, ValueError):
                        pass

    async def _read_all(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        if self._r is None:
            raise StoreUnavailable("the store is not open")
        try:
            # One call in the connection's thread: an open cursor shared between coroutines would
            # keep the connection's read snapshot alive, and later reads would see stale data.
            rows = await self._r.execute_fetchall(sql, tuple(params))
            return [tuple(r) for r in rows]
        except Exception as exc:
            if _is_store_error(exc):
                raise StoreUnavailable(f"store read failed ({type(exc).__name__})") from exc
            raise

    async def _read_one(self, sql: str, params: Iterable[Any] = ()) -> tuple[Any, ...] | None:
        rows = await self._read_all(sql, params)
        return rows[0] if rows else None

    # --- inbox -------------------------------------------------------------
    async def ingest(self, event: InboundEvent, now: float) -> tuple[str, int] | None:
        return (await self.ingest_many([event], now))[0]

    async def ingest_many(
        self, events: list[InboundEvent], now: float
    ) -> list[tuple[str, int] | None]:
        results: list[tuple[str, int] | None] = []
        async with self._tx(durable=True) as db:
            for event in events:
                results.append(await _ingest_one(db, event, now))
        return results

    async def pending_conversations(self) -> list[str]:
        rows = await self._read_all(
            "SELECT conversation_id, MIN(id) AS first FROM inbox WHERE status = 'pending' "
            "GROUP BY conversation_id ORDER BY first"
        )
        return [r[0] for r in rows]

    async def next_pending(self, conversation_id: str) -> InboxRow | None:
        row = await self._read_one(
            "SELECT id, conversation_id, event, received_at FROM inbox "
            "WHERE conversation_id = ? AND status = 'pending' ORDER BY id LIMIT 1",
            (conversation_id,),
        )
        if row is None:
            return None
        return InboxRow(row[0], row[1], InboundEvent.from_json(row[2]), row[3])

    async def skip_inbox(self, inbox_id: int, reason: str) -> None:
        async with self._tx() as db:
            await db.execute(
                "UPDATE inbox SET status = ?, event = NULL WHERE id = ? AND status = 'pending'",
                (f"skipped:{reason}"[:60], inbox_id),
            )

    # --- conversations -----------------------------------------------------
    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        row = await self._read_one(
            f"SELECT {_CONV_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        return _conversation(row) if row else None

    async def find_conversation(self, channel: str, user_id: str) -> Conversation | None:
        row = await self._read_one(
            f"SELECT {_CONV_COLUMNS} FROM conversations WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return _conversation(row) if row else None

    async def commit(self, uow: UnitOfWork, now: float) -> CommitResult:
        c = uow.conversation
        async with self._tx() as db:
            if uow.inbox_id is not None:
                # First, so an erasure below leaves this row alone; a second commit is refused.
                cur = await db.execute(
                    "UPDATE inbox SET status = 'done', event = NULL, processed_at = ? "
                    "WHERE id = ? AND status = 'pending'",
                    (now, uow.inbox_id),
                )
                if cur.rowcount != 1:
                    raise AlreadyProcessed(f"inbox {uow.inbox_id} was already processed")
            ticket_id = c.ticket_id
            if uow.open_ticket is not None:
                t = uow.open_ticket
                cur = await db.execute(
                    "INSERT INTO tickets (conversation_id, priority, reason, snapshot, channel, "
                    "source, territory, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        c.id,
                        t.priority,
                        t.reason,
                        json.dumps(t.snapshot, ensure_ascii=False),
                        c.channel,
                        c.source,
                        t.territory,
                        now,
                    ),
                )
                ticket_id = cur.lastrowid
                await cur.close()
            if uow.ticket_changes and ticket_id is not None:
                await _update_ticket(db, ticket_id, uow.ticket_changes)
            if uow.erase:
                await _erase_conversation(db, c.id)
                ticket_id = None
                c.profile, c.consent_at, c.consent_version = {}, None, None
            cur = await db.execute(
                "UPDATE conversations SET mode = ?, state = ?, profile = ?, source = ?, misses = ?, "
                "consent_at = ?, consent_version = ?, ticket_id = ?, last_inbound_at = ?, "
                "updated_at = ?, user_id = ?, version = version + 1 WHERE id = ? AND version = ?",
                (
                    c.mode,
                    c.state,
                    json.dumps(c.profile, ensure_ascii=False),
                    c.source,
                    c.misses,
                    c.consent_at,
                    c.consent_version,
                    ticket_id,
                    c.last_inbound_at,
                    now,
                    f"erased:{c.id}" if uow.forget_identity else c.user_id,
                    c.id,
                    c.version,
                ),
            )
            if cur.rowcount != 1:
                raise Conflict("conversation changed meanwhile")
            thread_ids = [
                await _insert_thread(db, c.id, ticket_id, entry, now) for entry in uow.thread
            ]
            outbox_ids = []
            for reply in uow.replies:
                # After an erasure nothing personal is written again, not even our own words.
                message_id = (
                    None
                    if uow.erase
                    else await _insert_thread(
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
                cur = await db.execute(
                    "INSERT INTO outbox (conversation_id, message_id, channel, user_id, reply, "
                    "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        c.id,
                        message_id,
                        c.channel,
                        c.user_id,
                        json.dumps(reply.to_dict(), ensure_ascii=False),
                        now,
                        now,
                    ),
                )
                assert cur.lastrowid is not None
                outbox_ids.append(cur.lastrowid)
                await cur.close()
            for action, details in uow.audit:
                await db.execute(
                    "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)",
                    (now, "bot", action, c.id, json.dumps(details)),
                )
        c.version += 1
        c.ticket_id = ticket_id
        return CommitResult(ticket_id, tuple(outbox_ids), tuple(thread_ids))

    # --- thread ------------------------------------------------------------
    async def thread(self, conversation_id: str, limit: int = 200) -> list[ThreadEntry]:
        rows = await self._read_all(
            "SELECT id, direction, author, staff_id, text, buttons, status, error, created_at, "
            "ticket_id FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?",
            (conversation_id, limit),
        )
        return [_thread_entry(r) for r in reversed(rows)]

    # --- outbox ------------------------------------------------------------
    async def outbox_heads(self, now: float, limit: int = 100) -> list[OutboxItem]:
        rows = await self._read_all(
            "SELECT o.id, o.conversation_id, o.channel, o.user_id, o.reply, o.attempts, "
            "o.created_at, c.last_inbound_at FROM outbox o "
            "JOIN (SELECT conversation_id, MIN(id) AS head FROM outbox "
            "WHERE status IN ('pending', 'sending') GROUP BY conversation_id) h ON o.id = h.head "
            "LEFT JOIN conversations c ON c.id = o.conversation_id "
            "WHERE o.status = 'pending' AND o.next_attempt_at <= ? "
            "ORDER BY o.next_attempt_at, o.id LIMIT ?",
            (now, limit),
        )
        return [
            OutboxItem(
                id=r[0],
                conversation_id=r[1],
                channel=r[2],
                user_id=r[3],
                reply=Reply.from_dict(json.loads(r[4])),
                attempts=r[5],
                created_at=r[6],
                last_inbound_at=r[7],
            )
            for r in rows
        ]

    async def outbox_next_due(self) -> float | None:
        # Only heads count: a reply queued behind one in flight waits for it, not for a clock.
        row = await self._read_one(
            "SELECT MIN(o.next_attempt_at) FROM outbox o JOIN (SELECT conversation_id, "
            "MIN(id) AS head FROM outbox WHERE status IN ('pending', 'sending') "
            "GROUP BY conversation_id) h ON o.id = h.head WHERE o.status = 'pending'"
        )
        return row[0] if row else None

    async def outbox_claim(self, item_ids: list[int], now: float) -> None:
        if not item_ids:
            return
        marks = ",".join("?" * len(item_ids))
        async with self._tx() as db:
            await db.execute(
                f"UPDATE outbox SET status = 'sending' WHERE status = 'pending' AND id IN ({marks})",
                item_ids,
            )

    async def outbox_recover(self) -> list[int]:
        async with self._tx() as db:
            async with db.execute("SELECT id FROM outbox WHERE status = 'sending'") as cur:
                ids = [r[0] for r in await cur.fetchall()]
            await db.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
        return ids

    async def outbox_sent(self, item_id: int, now: float) -> None:
        async with self._tx() as db:
            # The thread keeps the text; the delivery record needs none once delivered.
            await db.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
                'reply = \'{"text": ""}\' WHERE id = ?',
                (now, item_id),
            )
            await db.execute(
                "UPDATE messages SET status = 'sent' WHERE id = "
                "(SELECT message_id FROM outbox WHERE id = ?)",
                (item_id,),
            )

    async def outbox_retry(self, item_id: int, next_attempt_at: float, error: str) -> None:
        async with self._tx() as db:
            await db.execute(
                "UPDATE outbox SET status = 'pending', attempts = attempts + 1, "
                "next_attempt_at = ?, last_error = ? WHERE id = ?",
                (next_attempt_at, error[:200], item_id),
            )

    async def outbox_failed(self, item_id: int, error: str, now: float) -> None:
        async with self._tx() as db:
            await db.execute(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, "
                "sent_at = NULL WHERE id = ?",
                (error[:200], item_id),
            )
            await db.execute(
                "UPDATE messages SET status = 'failed', error = ? WHERE id = "
                "(SELECT message_id FROM outbox WHERE id = ?)",
                (error[:200], item_id),
            )

    async def outbox_backlog(self) -> int:
        row = await self._read_one(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        return int(row[0]) if row else 0

    # --- tickets -----------------------------------------------------------
    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        row = await self._read_one(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)
        )
        return _ticket(row) if row else None

    async def list_tickets(self, status: TicketStatus, limit: int = 200) -> list[Ticket]:
        order = (
            "CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, created_at"
            if status == "waiting"
            else "created_at DESC"
        )
        rows = await self._read_all(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE status = ? ORDER BY {order} LIMIT ?",
            (status, limit),
        )
        return [_ticket(r) for r in rows]

    # --- retention ---------------------------------------------------------
    async def purge_unfinished(self, before: float, now: float) -> int:
        return await self._retire(
            "purge_unfinished",
            "SELECT id FROM conversations WHERE updated_at < ? AND ticket_id IS NULL "
            "AND mode IN ('bot', 'paused') AND user_id NOT LIKE 'erased:%' "
            "AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.conversation_id = conversations.id "
            "AND i.status = 'pending')",
            (before,),
            now,
        )

    async def anonymise_closed(self, before: float, now: float) -> int:
        return await self._retire(
            "anonymise_closed",
            "SELECT t.conversation_id FROM tickets t JOIN conversations c "
            "ON c.id = t.conversation_id WHERE t.status = 'closed' AND t.closed_at < ? "
            "AND c.user_id NOT LIKE 'erased:%' AND c.mode IN ('bot', 'paused') "
            "AND c.updated_at < ? GROUP BY t.conversation_id",
            (before, before),
            now,
        )

    async def _retire(self, action: str, select: str, params: tuple[Any, ...], now: float) -> int:
        """Erase every conversation `select` finds, in one transaction, audited by count only."""
        async with self._tx() as db:
            async with db.execute(select, params) as cur:
                ids = [r[0] for r in await cur.fetchall()]
            for conversation_id in ids:
                await _erase_conversation(db, conversation_id)
                await _forget_conversation(db, conversation_id, now)
            if ids:
                await db.execute(
                    "INSERT INTO audit (at, actor, action, details) VALUES (?, 'retention', ?, ?)",
                    (now, action, json.dumps({"conversations": len(ids)})),
                )
        return len(ids)

    async def erase_conversation(
        self, conversation_id: str, now: float, *, actor: str, action: str
    ) -> list[int]:
        """Erase a conversation on request, as retention does, in one transaction.

        Open tickets are closed first with outcome `erased` at `now`; the audit line (`actor`,
        `action`) holds only a count. Returns the ids of the tickets that were still open.
        """
        async with self._tx() as db:
            async with db.execute(
                "SELECT id FROM tickets WHERE conversation_id = ? AND status != 'closed'",
                (conversation_id,),
            ) as cur:
                still_open = [r[0] for r in await cur.fetchall()]
            await db.execute(
                "UPDATE tickets SET status = 'closed', outcome = 'erased', closed_at = ? "
                "WHERE conversation_id = ? AND status != 'closed'",
                (now, conversation_id),
            )
            await _erase_conversation(db, conversation_id)
            await _forget_conversation(db, conversation_id, now)
            await db.execute(
                "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)",
                (
                    now,
                    actor,
                    action,
                    conversation_id,
                    json.dumps({"tickets_closed": len(still_open)}),
                ),
            )
        return still_open


async def _ingest_one(
    db: aiosqlite.Connection, event: InboundEvent, now: float
) -> tuple[str, int] | None:
    async with db.execute(
        "SELECT 1 FROM inbox WHERE channel = ? AND event_id = ?", (event.channel, event.event_id)
    ) as cur:
        if await cur.fetchone():
            return None
    async with db.execute(
        "SELECT id FROM conversations WHERE channel = ? AND user_id = ?",
        (event.channel, event.user_id),
    ) as cur:
        row = await cur.fetchone()
    if row:
        conversation_id = row[0]
    else:
        conversation_id = secrets.token_hex(12)
        await db.execute(
            "INSERT INTO conversations (id, channel, user_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (conversation_id, event.channel, event.user_id, now, now),
        )
    cur = await db.execute(
        "INSERT INTO inbox (channel, event_id, conversation_id, event, received_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (event.channel, event.event_id, conversation_id, event.to_json(), now),
    )
    inbox_id = cur.lastrowid
    await cur.close()
    assert inbox_id is not None
    return conversation_id, inbox_id


async def _forget_conversation(db: aiosqlite.Connection, conversation_id: str, now: float) -> None:
    """Leave only an anonymous shell: no profile, no consent, no platform user id."""
    await db.execute(
        "UPDATE conversations SET profile = '{}', consent_at = NULL, consent_version = NULL, "
        "state = 'new', mode = 'bot', ticket_id = NULL, user_id = 'erased:' || id, "
        "updated_at = ?, version = version + 1 WHERE id = ?",
        (now, conversation_id),
    )
    # Delivery records keep the platform user id too; only undelivered ones still need it.
    await db.execute(
        "UPDATE outbox SET user_id = 'erased:' || conversation_id "
        "WHERE conversation_id = ? AND status NOT IN ('pending', 'sending')",
        (conversation_id,),
    )


_TICKET_MUTABLE = {
    "status",
    "priority",
    "reason",
    "snapshot",
    "territory",
    "claimed_at",
    "assigned_to",
    "first_reply_at",
    "closed_at",
    "outcome",
    "acked",
    "alerted_at",
}


async def _update_ticket(db: aiosqlite.Connection, ticket_id: int, changes: dict[str, Any]) -> None:
    unknown = set(changes) - _TICKET_MUTABLE
    if unknown:
        raise TypeError(f"unknown ticket fields: {sorted(unknown)}")
    values = [
        json.dumps(v, ensure_ascii=False) if k == "snapshot" else v for k, v in changes.items()
    ]
    assignments = ", ".join(f"{k} = ?" for k in changes)
    await db.execute(f"UPDATE tickets SET {assignments} WHERE id = ?", (*values, ticket_id))


async def _insert_thread(
    db: aiosqlite.Connection,
    conversation_id: str,
    ticket_id: int | None,
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
            json.dumps([list(b) for b in entry.buttons], ensure_ascii=False),
            entry.status,
            entry.error,
            now,
        ),
    )
    assert cur.lastrowid is not None
    message_id = cur.lastrowid
    await cur.close()
    return message_id


async def _erase_conversation(db: aiosqlite.Connection, conversation_id: str) -> None:
    """Erase every personal trace of a conversation; anonymous ticket facts stay for figures."""
    await db.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
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
        "outcome = COALESCE(outcome, 'erased'), "
        "closed_at = COALESCE(closed_at, unixepoch('now')) WHERE conversation_id = ?",
        (conversation_id,),
    )


def _is_store_error(exc: BaseException) -> bool:
    """sqlite errors, and aiosqlite's ValueError once its connection is closed."""
    return isinstance(exc, sqlite3.Error) or (
        isinstance(exc, ValueError) and "connection" in str(exc).lower()
    )


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
