"""Inbox and outbox on MongoDB: events saved before acknowledgement, replies leased to one sender."""

from __future__ import annotations

import secrets
from typing import Any

from pymongo.errors import DuplicateKeyError

from bot.events import InboundEvent, OutboxItem, Reply
from bot.store.mongo import documents as docs
from bot.store.mongo.base import Doc, MongoBase, Session
from bot.store.mongo.schema import CONVERSATIONS, INBOX, OUTBOX, THREAD
from bot.store.records import InboxRow

# Two instances may create the same conversation, or save the same redelivered event, at
# once: the unique index refuses one; it runs again and then finds what the other wrote.
INGEST_ATTEMPTS = 5
OPEN = ["pending", "sending"]


class MongoPipeline(MongoBase):
    """InboxStore and OutboxStore on MongoDB."""

    # --- inbox -------------------------------------------------------------------------
    async def ingest(self, event: InboundEvent, now: float) -> tuple[str, int] | None:
        return (await self.ingest_many([event], now))[0]

    async def ingest_many(
        self, events: list[InboundEvent], now: float
    ) -> list[tuple[str, int] | None]:
        if not events:
            return []

        reserved = await self._next_ids(INBOX, len(events))

        async def work(s: Session) -> list[tuple[str, int] | None]:
            ids = iter(reserved)
            seen: set[tuple[str, str]] = set()
            results: list[tuple[str, int] | None] = []
            for event in events:
                key = (event.channel, event.event_id)
                duplicate = key in seen or await self._col(INBOX).find_one(
                    {"channel": event.channel, "event_id": event.event_id}, {"_id": 1}, session=s
                )
                seen.add(key)
                if duplicate:
                    results.append(None)
                    continue
                conversation_id = await self._conversation_for(s, event, now)
                inbox_id = next(ids)
                await self._col(INBOX).insert_one(
                    {
                        "_id": inbox_id,
                        "seq": inbox_id,
                        "channel": event.channel,
                        "event_id": event.event_id,
                        "conversation_id": conversation_id,
                        "event": event.to_json(),
                        "status": "pending",
                        "received_at": now,
                        "processed_at": None,
                    },
                    session=s,
                )
                results.append((conversation_id, inbox_id))
            return results

        for attempt in range(INGEST_ATTEMPTS):
            try:
                return await self._tx(work)
            except DuplicateKeyError:
                if attempt == INGEST_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _conversation_for(self, s: Session, event: InboundEvent, now: float) -> str:
        found = await self._col(CONVERSATIONS).find_one(
            {"channel": event.channel, "user_id": event.user_id}, {"_id": 1}, session=s
        )
        if found:
            return str(found["_id"])
        conversation_id = secrets.token_hex(12)
        await self._col(CONVERSATIONS).insert_one(
            docs.new_conversation(conversation_id, event.channel, event.user_id, now), session=s
        )
        return conversation_id

    async def pending_conversations(self) -> list[str]:
        cursor = await self._col(INBOX).aggregate(
            [
                {"$match": {"status": "pending"}},
                {"$group": {"_id": "$conversation_id", "first": {"$min": "$seq"}}},
                {"$sort": {"first": 1}},
            ]
        )
        return [d["_id"] async for d in cursor]

    async def next_pending(self, conversation_id: str) -> InboxRow | None:
        d = await self._col(INBOX).find_one(
            {"conversation_id": conversation_id, "status": "pending"}, sort=[("seq", 1)]
        )
        if d is None:
            return None
        return InboxRow(
            d["_id"], d["conversation_id"], InboundEvent.from_json(d["event"]), d["received_at"]
        )

    async def skip_inbox(self, inbox_id: int, reason: str) -> None:
        await self._col(INBOX).update_one(
            {"_id": inbox_id, "status": "pending"},
            {"$set": {"status": f"skipped:{reason}"[:60], "event": None}},
        )

    # --- outbox ------------------------------------------------------------------------
    async def _heads(self) -> list[Doc]:
        """Each conversation's oldest open reply, when it is pending (not one being sent)."""
        cursor = await self._col(OUTBOX).aggregate(
            [
                {"$match": {"status": {"$in": OPEN}}},
                {"$sort": {"seq": 1}},
                {"$group": {"_id": "$conversation_id", "head": {"$first": "$$ROOT"}}},
                {"$replaceRoot": {"newRoot": "$head"}},
                {"$match": {"status": "pending"}},
            ]
        )
        return [d async for d in cursor]

    async def outbox_heads(self, now: float, limit: int = 100) -> list[OutboxItem]:
        heads = [d for d in await self._heads() if d["next_attempt_at"] <= now]
        heads.sort(key=lambda d: (d["next_attempt_at"], d["_id"]))
        heads = heads[:limit]
        inbound: dict[str, Any] = {}
        if heads:
            cursor = self._col(CONVERSATIONS).find(
                {"_id": {"$in": [d["conversation_id"] for d in heads]}},
                {"last_inbound_at": 1},
            )
            inbound = {c["_id"]: c.get("last_inbound_at") async for c in cursor}
        return [
            OutboxItem(
                id=d["_id"],
                conversation_id=d["conversation_id"],
                channel=d["channel"],
                user_id=d["user_id"],
                reply=Reply.from_dict(d["reply"]),
                attempts=d["attempts"],
                created_at=d["created_at"],
                last_inbound_at=inbound.get(d["conversation_id"]),
            )
            for d in heads
        ]

    async def outbox_next_due(self) -> float | None:
        # Only heads count: a reply queued behind one in flight waits for it, not for a clock.
        due = [d["next_attempt_at"] for d in await self._heads()]
        return min(due) if due else None

    async def outbox_claim(self, item_ids: list[int], owner: str, until: float) -> list[int]:
        owned = []
        for item_id in item_ids:
            taken = await self._col(OUTBOX).update_one(
                {"_id": item_id, "status": "pending"},
                {"$set": {"status": "sending", "lease_owner": owner, "lease_until": until}},
            )
            if taken.modified_count == 1:
                owned.append(item_id)
        return owned

    async def outbox_recover(self, now: float) -> list[int]:
        expired = {"status": "sending", "lease_until": {"$lte": now}}
        ids = [d["_id"] async for d in self._col(OUTBOX).find(expired, {"_id": 1})]
        recovered = []
        for item_id in ids:  # one by one: a lease renewed meanwhile is left alone
            back = await self._col(OUTBOX).update_one(
                {"_id": item_id, **expired},
                {"$set": {"status": "pending", "lease_owner": None, "lease_until": None}},
            )
            if back.modified_count == 1:
                recovered.append(item_id)
        return recovered

    async def outbox_sent(self, item_id: int, now: float) -> None:
        async def work(s: Session) -> None:
            # The thread keeps the text; the delivery record needs none once delivered.
            d = await self._col(OUTBOX).find_one_and_update(
                {"_id": item_id},
                {
                    "$set": {
                        "status": "sent",
                        "sent_at": now,
                        "reply": {"text": ""},
                        "lease_owner": None,
                        "lease_until": None,
                    },
                    "$inc": {"attempts": 1},
                },
                session=s,
            )
            if d and d.get("message_id") is not None:
                await self._col(THREAD).update_one(
                    {"_id": d["message_id"]}, {"$set": {"status": "sent"}}, session=s
                )

        await self._tx(work)

    async def outbox_retry(self, item_id: int, next_attempt_at: float, error: str) -> None:
        await self._col(OUTBOX).update_one(
            {"_id": item_id},
            {
                "$set": {
                    "status": "pending",
                    "next_attempt_at": next_attempt_at,
                    "last_error": error[:200],
                    "lease_owner": None,
                    "lease_until": None,
                },
                "$inc": {"attempts": 1},
            },
        )

    async def outbox_failed(self, item_id: int, error: str, now: float) -> None:
        async def work(s: Session) -> None:
            d = await self._col(OUTBOX).find_one_and_update(
                {"_id": item_id},
                {
                    "$set": {
                        "status": "failed",
                        "last_error": error[:200],
                        "sent_at": None,
                        "lease_owner": None,
                        "lease_until": None,
                    },
                    "$inc": {"attempts": 1},
                },
                session=s,
            )
            if d and d.get("message_id") is not None:
                await self._col(THREAD).update_one(
                    {"_id": d["message_id"]},
                    {"$set": {"status": "failed", "error": error[:200]}},
                    session=s,
                )

        await self._tx(work)

    async def outbox_backlog(self) -> int:
        return await self._col(OUTBOX).count_documents({"status": {"$in": OPEN}})

    async def thread_id_of_outbox(self, outbox_id: int) -> int | None:
        d = await self._col(OUTBOX).find_one({"_id": outbox_id}, {"message_id": 1})
        return d.get("message_id") if d else None
