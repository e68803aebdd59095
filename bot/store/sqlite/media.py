"""Media on SQLite: one row per file, the bytes in a BLOB column of that row.

Bytes in the database rather than files beside it: an erasure removes them in the same
transaction as the thread (no file left behind by a crash between the two), `secure_delete`
overwrites the freed pages, and a backup of the one file holds everything. Files are capped
(20 MB by default), which SQLite stores as overflow pages without trouble.
"""

from __future__ import annotations

import secrets
from typing import Any

import aiosqlite

from bot.store.records import UnitOfWork
from bot.store.roles_media import Media, MediaStore
from bot.store.sqlite.db import SQLiteDatabase

_COLUMNS = (
    "id, conversation_id, message_id, direction, channel, kind, status, mime, size, name, ref, "
    "error, attempts, created_at"
)
# Free, expired, or already ours: the cases where a fetch lease may be taken.
_TAKEABLE = "(lease_owner IS NULL OR lease_owner = :owner OR lease_until <= :now)"


def new_media_id() -> str:
    """Opaque and unguessable: media ids appear in URLs."""
    return secrets.token_urlsafe(16)


def _media(row: tuple[Any, ...]) -> Media:
    return Media(*row)


async def link_in_commit(
    db: aiosqlite.Connection,
    uow: UnitOfWork,
    thread_ids: list[int],
    reply_lines: list[int | None],
    now: float,
) -> None:
    """Inside a commit: inbound media rows for its first thread line, sent files to theirs."""
    c = uow.conversation
    if uow.media and thread_ids and not uow.erase:
        for draft in uow.media:
            await db.execute(
                "INSERT INTO media (id, conversation_id, message_id, direction, channel, kind, "
                "status, ref, next_at, created_at) VALUES (?, ?, ?, 'in', ?, ?, 'pending', ?, ?, ?)",
                (new_media_id(), c.id, thread_ids[0], c.channel, draft.kind, draft.ref, now, now),
            )
    for reply, message_id in zip(uow.replies, reply_lines, strict=False):
        if reply.media_id and message_id is not None:
            await db.execute(
                "UPDATE media SET message_id = ? WHERE id = ? AND conversation_id = ?",
                (message_id, reply.media_id, c.id),
            )


class SQLiteMedia(SQLiteDatabase, MediaStore):
    async def media_due(self, now: float, limit: int = 20) -> list[Media]:
        found = await self._read_all(
            f"SELECT {_COLUMNS} FROM media WHERE status = 'pending' AND next_at <= ? "
            "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_at LIMIT ?",
            (now, now, limit),
        )
        return [_media(r) for r in found]

    async def claim_media(self, media_id: str, owner: str, until: float, now: float) -> bool:
        changed = await self._change(
            "UPDATE media SET lease_owner = :owner, lease_until = :until "
            f"WHERE id = :id AND status = 'pending' AND {_TAKEABLE}",
            {"owner": owner, "until": until, "now": now, "id": media_id},
        )
        return changed == 1

    async def media_fetched(
        self, media_id: str, owner: str, mime: str, content: bytes, now: float
    ) -> bool:
        changed = await self._change(
            "UPDATE media SET status = 'stored', mime = ?, size = ?, content = ?, ref = NULL, "
            "error = NULL, lease_owner = NULL, lease_until = NULL "
            "WHERE id = ? AND status = 'pending' AND lease_owner = ?",
            (mime, len(content), content, media_id, owner),
        )
        return changed == 1

    async def media_retry(self, media_id: str, owner: str, error: str, next_at: float) -> None:
        await self._change(
            "UPDATE media SET attempts = attempts + 1, error = ?, next_at = ?, "
            "lease_owner = NULL, lease_until = NULL "
            "WHERE id = ? AND status = 'pending' AND lease_owner = ?",
            (error, next_at, media_id, owner),
        )

    async def media_failed(self, media_id: str, owner: str, error: str, now: float) -> bool:
        changed = await self._change(
            "UPDATE media SET status = 'failed', error = ?, ref = NULL, attempts = attempts + 1, "
            "lease_owner = NULL, lease_until = NULL "
            "WHERE id = ? AND status = 'pending' AND lease_owner = ?",
            (error, media_id, owner),
        )
        return changed == 1

    async def add_media(
        self,
        conversation_id: str,
        channel: str,
        kind: str,
        mime: str,
        name: str,
        content: bytes,
        now: float,
    ) -> Media:
        media_id = new_media_id()
        await self._change(
            "INSERT INTO media (id, conversation_id, direction, channel, kind, status, mime, "
            "size, name, created_at, content) VALUES (?, ?, 'out', ?, ?, 'stored', ?, ?, ?, ?, ?)",
            (media_id, conversation_id, channel, kind, mime, len(content), name, now, content),
        )
        media = await self.get_media(media_id)
        assert media is not None
        return media

    async def get_media(self, media_id: str) -> Media | None:
        row = await self._read_one(f"SELECT {_COLUMNS} FROM media WHERE id = ?", (media_id,))
        return _media(row) if row else None

    async def media_content(self, media_id: str) -> bytes | None:
        row = await self._read_one(
            "SELECT content FROM media WHERE id = ? AND status = 'stored'", (media_id,)
        )
        return bytes(row[0]) if row and row[0] is not None else None

    async def conversation_media(self, conversation_id: str) -> list[Media]:
        found = await self._read_all(
            f"SELECT {_COLUMNS} FROM media WHERE conversation_id = ? ORDER BY created_at, rowid",
            (conversation_id,),
        )
        return [_media(r) for r in found]
