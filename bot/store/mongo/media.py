"""Media on MongoDB: a metadata document per file, its bytes in 1 MB chunk documents.

Chunks of our own rather than GridFS: the chunks carry the conversation id, so an erasure
deletes them with one `delete_many` inside the same transaction as the thread, and a file
is written (chunks, then its status) in one transaction too. A chunk stays far below the
16 MB document limit.
"""

from __future__ import annotations

import secrets
from typing import Any

from bson import Binary
from pymongo import ASCENDING

from bot.store.mongo.base import Doc, MongoBase, Session
from bot.store.mongo.schema import MEDIA, MEDIA_CHUNKS
from bot.store.records import UnitOfWork
from bot.store.roles_media import Media, MediaStore

CHUNK_BYTES = 1024 * 1024


def new_media_id() -> str:
    """Opaque and unguessable: media ids appear in URLs."""
    return secrets.token_urlsafe(16)


def _media(d: Doc) -> Media:
    return Media(
        id=d["_id"],
        conversation_id=d["conversation_id"],
        message_id=d.get("message_id"),
        direction=d["direction"],
        channel=d["channel"],
        kind=d["kind"],
        status=d["status"],
        mime=d.get("mime"),
        size=d.get("size"),
        name=d.get("name"),
        ref=d.get("ref"),
        error=d.get("error"),
        attempts=d.get("attempts", 0),
        created_at=d["created_at"],
    )


def _doc(media_id: str, conversation_id: str, channel: str, kind: str, now: float) -> Doc:
    return {
        "_id": media_id,
        "conversation_id": conversation_id,
        "message_id": None,
        "channel": channel,
        "kind": kind,
        "mime": None,
        "size": None,
        "name": None,
        "ref": None,
        "error": None,
        "attempts": 0,
        "next_at": now,
        "lease_owner": None,
        "lease_until": None,
        "created_at": now,
    }


def _chunks(media_id: str, conversation_id: str, content: bytes) -> list[Doc]:
    return [
        {
            "_id": f"{media_id}:{n}",
            "media_id": media_id,
            "conversation_id": conversation_id,
            "n": n,
            "data": Binary(content[at : at + CHUNK_BYTES]),
        }
        for n, at in enumerate(range(0, len(content), CHUNK_BYTES))
    ]


async def link_in_commit(
    db: Any,
    s: Session,
    uow: UnitOfWork,
    thread_ids: list[int],
    reply_lines: list[int | None],
    now: float,
) -> None:
    """Inside a commit: inbound media rows for its first thread line, sent files to theirs."""
    c = uow.conversation
    if uow.media and thread_ids and not uow.erase:
        docs = []
        for draft in uow.media:
            d = _doc(new_media_id(), c.id, c.channel, draft.kind, now)
            d.update(direction="in", status="pending", ref=draft.ref, message_id=thread_ids[0])
            docs.append(d)
        await db[MEDIA].insert_many(docs, session=s)
    for reply, message_id in zip(uow.replies, reply_lines, strict=False):
        if reply.media_id and message_id is not None:
            await db[MEDIA].update_one(
                {"_id": reply.media_id, "conversation_id": c.id},
                {"$set": {"message_id": message_id}},
                session=s,
            )


async def erase_media(db: Any, s: Session, conversation_id: str) -> None:
    """Inside an erasure: the conversation's media and their bytes go."""
    await db[MEDIA_CHUNKS].delete_many({"conversation_id": conversation_id}, session=s)
    await db[MEDIA].delete_many({"conversation_id": conversation_id}, session=s)


class MongoMedia(MongoBase, MediaStore):
    async def media_due(self, now: float, limit: int = 20) -> list[Media]:
        # The lease is checked here rather than in the query: few rows are pending at once.
        cursor = (
            self._col(MEDIA)
            .find({"status": "pending", "next_at": {"$lte": now}})
            .sort("next_at", ASCENDING)
            .limit(limit * 4)
        )
        due = [d async for d in cursor if (d.get("lease_until") or 0) <= now]
        return [_media(d) for d in due[:limit]]

    async def claim_media(self, media_id: str, owner: str, until: float, now: float) -> bool:
        taken = await self._col(MEDIA).update_one(
            {
                "_id": media_id,
                "status": "pending",
                "$or": [
                    {"lease_owner": None},
                    {"lease_owner": owner},
                    {"lease_until": {"$lte": now}},
                ],
            },
            {"$set": {"lease_owner": owner, "lease_until": until}},
        )
        return taken.matched_count == 1

    async def media_fetched(
        self, media_id: str, owner: str, mime: str, content: bytes, now: float
    ) -> bool:
        async def work(s: Session) -> bool:
            row = await self._col(MEDIA).find_one_and_update(
                {"_id": media_id, "status": "pending", "lease_owner": owner},
                {
                    "$set": {
                        "status": "stored",
                        "mime": mime,
                        "size": len(content),
                        "ref": None,
                        "error": None,
                        "lease_owner": None,
                        "lease_until": None,
                    }
                },
                session=s,
            )
            if row is None:
                return False
            chunks = _chunks(media_id, row["conversation_id"], content)
            if chunks:
                await self._col(MEDIA_CHUNKS).insert_many(chunks, session=s)
            return True

        return await self._tx(work)

    async def media_retry(self, media_id: str, owner: str, error: str, next_at: float) -> None:
        await self._col(MEDIA).update_one(
            {"_id": media_id, "status": "pending", "lease_owner": owner},
            {
                "$set": {
                    "error": error,
                    "next_at": next_at,
                    "lease_owner": None,
                    "lease_until": None,
                },
                "$inc": {"attempts": 1},
            },
        )

    async def media_failed(self, media_id: str, owner: str, error: str, now: float) -> bool:
        done = await self._col(MEDIA).update_one(
            {"_id": media_id, "status": "pending", "lease_owner": owner},
            {
                "$set": {
                    "status": "failed",
                    "error": error,
                    "ref": None,
                    "lease_owner": None,
                    "lease_until": None,
                },
                "$inc": {"attempts": 1},
            },
        )
        return done.matched_count == 1

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
        d = _doc(media_id, conversation_id, channel, kind, now)
        d.update(direction="out", status="stored", mime=mime, size=len(content), name=name)

        async def work(s: Session) -> None:
            await self._col(MEDIA).insert_one(d, session=s)
            chunks = _chunks(media_id, conversation_id, content)
            if chunks:
                await self._col(MEDIA_CHUNKS).insert_many(chunks, session=s)

        await self._tx(work)
        return _media(d)

    async def get_media(self, media_id: str) -> Media | None:
        d = await self._col(MEDIA).find_one({"_id": media_id})
        return _media(d) if d else None

    async def media_content(self, media_id: str) -> bytes | None:
        d = await self._col(MEDIA).find_one({"_id": media_id, "status": "stored"})
        if d is None:
            return None
        cursor = self._col(MEDIA_CHUNKS).find({"media_id": media_id}).sort("n", ASCENDING)
        parts = [bytes(c["data"]) async for c in cursor]
        content = b"".join(parts)
        return content if len(content) == d.get("size") else None

    async def conversation_media(self, conversation_id: str) -> list[Media]:
        cursor = self._col(MEDIA).find({"conversation_id": conversation_id}).sort("created_at", 1)
        return [_media(d) async for d in cursor]
