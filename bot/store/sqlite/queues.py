"""The inbox (events in, once each) and the outbox (replies out, each by one owner) on SQLite."""

from __future__ import annotations

import json
import sqlite3

from bot.events import InboundEvent, OutboxItem, Reply
from bot.store.records import InboxRow
from bot.store.roles import InboxStore, OutboxStore
from bot.store.sqlite.db import SQLiteDatabase, transaction
from bot.store.sqlite.group import GroupCommit
from bot.store.sqlite.ingest import Pending, Saved, ingest_batch

# The head of each conversation's queue: its oldest reply not yet settled.
_HEADS = (
    "SELECT conversation_id, MIN(id) AS head FROM outbox "
    "WHERE status IN ('pending', 'sending') GROUP BY conversation_id"
)


class SQLiteQueues(SQLiteDatabase, InboxStore, OutboxStore):
    _group: GroupCommit[Pending, Saved] | None = None
    _sent: GroupCommit[tuple[int, float], None] | None = None

    # --- inbox -------------------------------------------------------------
    async def ingest(self, event: InboundEvent, now: float) -> tuple[str, int] | None:
        # Concurrent webhooks share one durable transaction (group commit).
        if self._group is None:
            self._group = GroupCommit(self._ingest_batch)
        return await self._group.add((event, now))

    async def ingest_many(
        self, events: list[InboundEvent], now: float
    ) -> list[tuple[str, int] | None]:
        # A webhook's batch joins the group commit too: it used to pay its own fsync. A batch
        # split across two transactions is still safe: the webhook is acknowledged after
        # both, and a retry of it finds the saved events by their ids.
        if self._group is None:
            self._group = GroupCommit(self._ingest_batch)
        return await self._group.add_many([(event, now) for event in events])

    async def _ingest_batch(self, items: list[Pending]) -> list[Saved]:
        # Acknowledgements wait for this write: it goes before the replies' writes.
        return await self._in_writer(ingest_batch, items, urgent=True)

    async def pending_conversations(self) -> list[str]:
        found = await self._read_all(
            "SELECT conversation_id, MIN(id) AS first FROM inbox WHERE status = 'pending' "
            "GROUP BY conversation_id ORDER BY first"
        )
        return [r[0] for r in found]

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
        await self._change(
            "UPDATE inbox SET status = ?, event = NULL WHERE id = ? AND status = 'pending'",
            (f"skipped:{reason}"[:60], inbox_id),
        )

    # --- outbox ------------------------------------------------------------
    async def outbox_heads(self, now: float, limit: int = 100) -> list[OutboxItem]:
        found = await self._read_all(
            "SELECT o.id, o.conversation_id, o.channel, o.user_id, o.reply, o.attempts, "
            f"o.created_at, c.last_inbound_at FROM outbox o JOIN ({_HEADS}) h ON o.id = h.head "
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
            for r in found
        ]

    async def outbox_next_due(self) -> float | None:
        # Only heads count: a reply queued behind one in flight waits for it, not for a clock.
        row = await self._read_one(
            f"SELECT MIN(o.next_attempt_at) FROM outbox o JOIN ({_HEADS}) h ON o.id = h.head "
            "WHERE o.status = 'pending'"
        )
        return row[0] if row else None

    async def outbox_claim(self, item_ids: list[int], owner: str, until: float) -> list[int]:
        if not item_ids:
            return []
        marks = ",".join("?" * len(item_ids))
        found = await self._write_rows(
            "UPDATE outbox SET status = 'sending', lease_owner = ?, lease_until = ? "
            f"WHERE status = 'pending' AND id IN ({marks}) RETURNING id",
            (owner, until, *item_ids),
        )
        owned = {r[0] for r in found}
        return [i for i in item_ids if i in owned]

    async def outbox_recover(self, now: float) -> list[int]:
        found = await self._write_rows(
            "UPDATE outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL "
            "WHERE status = 'sending' AND COALESCE(lease_until, 0) <= ? RETURNING id",
            (now,),
        )
        return sorted(r[0] for r in found)

    async def outbox_sent(self, item_id: int, now: float) -> None:
        # Deliveries landing together share one transaction: one hop to the writer for all.
        if self._sent is None:
            self._sent = GroupCommit(self._sent_batch)
        await self._sent.add((item_id, now))

    async def _sent_batch(self, items: list[tuple[int, float]]) -> list[None]:
        def work(conn: sqlite3.Connection) -> None:
            # The thread keeps the text; the delivery record needs none once delivered.
            conn.executemany(
                "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
                'reply = \'{"text": ""}\', lease_owner = NULL, lease_until = NULL WHERE id = ?',
                [(now, item_id) for item_id, now in items],
            )
            conn.executemany(
                "UPDATE messages SET status = 'sent' WHERE id = "
                "(SELECT message_id FROM outbox WHERE id = ?)",
                [(item_id,) for item_id, _ in items],
            )

        await self._in_writer(transaction, work)
        return [None] * len(items)

    async def outbox_retry(self, item_id: int, next_attempt_at: float, error: str) -> None:
        await self._change(
            "UPDATE outbox SET status = 'pending', attempts = attempts + 1, next_attempt_at = ?, "
            "last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?",
            (next_attempt_at, error[:200], item_id),
        )

    async def outbox_failed(self, item_id: int, error: str, now: float) -> None:
        await self._write_each(
            (
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, "
                "sent_at = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ?",
                (error[:200], item_id),
            ),
            (
                "UPDATE messages SET status = 'failed', error = ? WHERE id = "
                "(SELECT message_id FROM outbox WHERE id = ?)",
                (error[:200], item_id),
            ),
        )

    async def outbox_backlog(self) -> int:
        row = await self._read_one(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        return int(row[0]) if row else 0

    async def thread_id_of_outbox(self, outbox_id: int) -> int | None:
        row = await self._read_one("SELECT message_id FROM outbox WHERE id = ?", (outbox_id,))
        return row[0] if row else None
