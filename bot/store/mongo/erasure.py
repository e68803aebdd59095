"""Erasing a conversation on MongoDB: deleted documents, anonymous ticket facts kept."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from bot.store.mongo.base import Session
from bot.store.mongo.documents import NO_TICKET
from bot.store.mongo.media import erase_media
from bot.store.mongo.schema import (
    CONVERSATION_LINKS,
    CONVERSATIONS,
    INBOX,
    MEETINGS,
    NOTES,
    OUTBOX,
    THREAD,
    TICKETS,
)


async def erase_in(
    db: AsyncDatabase[dict[str, Any]], s: Session, conversation_id: str, now: float
) -> None:
    """Erase every personal trace of a conversation inside transaction `s`."""
    await db[THREAD].delete_many({"conversation_id": conversation_id}, session=s)
    # A link says which other conversation is the same youth: gone with the content.
    await db[CONVERSATION_LINKS].delete_many(
        {"$or": [{"a": conversation_id}, {"b": conversation_id}]}, session=s
    )
    await erase_media(db, s, conversation_id)
    ticket_ids = [
        d["_id"]
        async for d in db[TICKETS].find({"conversation_id": conversation_id}, {"_id": 1}, session=s)
    ]
    if ticket_ids:  # staff notes and meetings speak of the youth
        for name in (NOTES, MEETINGS):
            await db[name].delete_many({"ticket_id": {"$in": ticket_ids}}, session=s)
    await db[OUTBOX].update_many(
        {"conversation_id": conversation_id, "status": {"$in": ["pending", "sending"]}},
        {"$set": {"status": "erased", "lease_owner": None, "lease_until": None}},
        session=s,
    )
    await db[OUTBOX].update_many(
        {"conversation_id": conversation_id}, {"$set": {"reply": {"text": ""}}}, session=s
    )
    await db[INBOX].update_many(
        {"conversation_id": conversation_id, "status": "pending"},
        {"$set": {"status": "skipped:erased"}},
        session=s,
    )
    await db[INBOX].update_many(
        {"conversation_id": conversation_id}, {"$set": {"event": None}}, session=s
    )
    await db[TICKETS].update_many(
        {"conversation_id": conversation_id}, {"$set": {"snapshot": {}}}, session=s
    )
    await db[TICKETS].update_many(
        {"conversation_id": conversation_id, "status": {"$ne": "closed"}},
        {"$set": {"status": "closed"}},
        session=s,
    )
    for field, value in (("outcome", "erased"), ("closed_at", now)):
        await db[TICKETS].update_many(
            {"conversation_id": conversation_id, field: None}, {"$set": {field: value}}, session=s
        )


async def forget_in(
    db: AsyncDatabase[dict[str, Any]], s: Session, conversation_id: str, now: float
) -> None:
    """Leave only an anonymous shell: no profile, no consent, no platform user id."""
    await db[CONVERSATIONS].update_one(
        {"_id": conversation_id},
        {
            "$set": {
                "profile": {},
                "scratch": {},
                "consent_at": None,
                "consent_version": None,
                "state": "new",
                "mode": "bot",
                "ticket_id": None,
                "user_id": f"erased:{conversation_id}",
                "erased": True,
                "updated_at": now,
                **NO_TICKET,
            },
            "$inc": {"version": 1},
        },
        session=s,
    )
    # Delivery records keep the platform user id too; after the erasure none is pending.
    await db[OUTBOX].update_many(
        {"conversation_id": conversation_id},
        {"$set": {"user_id": f"erased:{conversation_id}"}},
        session=s,
    )
