"""Group commit of the inbox: concurrent webhooks wait together for one durable transaction."""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from collections.abc import Awaitable, Callable

from bot.events import InboundEvent

Saved = tuple[str, int] | None  # (conversation id, inbox id), or None for a redelivery
Pending = tuple[InboundEvent, float]

# A batch bounded so one transaction stays short (the next batch gathers meanwhile).
MAX_BATCH = 256


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


class GroupCommit:
    """Queues ingests; one task at a time writes every waiting event in one transaction.

    Each caller's future resolves only after the COMMIT that holds its event, so nothing is
    acknowledged unsaved; while one transaction waits for the disk, the next batch gathers.
    """

    def __init__(self, write: Callable[[list[Pending]], Awaitable[list[Saved]]]) -> None:
        self._write = write
        self._waiting: list[tuple[InboundEvent, float, asyncio.Future[Saved]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def ingest(self, event: InboundEvent, now: float) -> Saved:
        future: asyncio.Future[Saved] = asyncio.get_running_loop().create_future()
        self._waiting.append((event, now, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        # Shielded: a caller that gives up does not cancel the batch its event is in.
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                saved = await self._write([(event, now) for event, now, _ in batch])
            except Exception as exc:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            except BaseException:
                self._cancel_waiting(batch)
                raise
            for (_, _, future), result in zip(batch, saved, strict=True):
                if not future.done():
                    future.set_result(result)

    def _cancel_waiting(
        self, batch: list[tuple[InboundEvent, float, asyncio.Future[Saved]]]
    ) -> None:
        """The writer was cancelled (the store closing): no one waits for it forever."""
        waiting, self._waiting = batch + self._waiting, []
        for _, _, future in waiting:
            future.cancel()
