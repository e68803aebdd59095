"""The aggregate root on MongoDB: a conversation and the unit of work that changes it."""

from __future__ import annotations

import secrets
from typing import Any

from bot.store.errors import AlreadyProcessed, Conflict, StoreError
from bot.store.mongo import documents as docs
from bot.store.mongo.base import Doc, MongoBase, Session
from bot.store.mongo.erasure import erase_in, forget_in
from bot.store.mongo.media import link_in_commit
from bot.store.mongo.schema import AUDIT, CONVERSATIONS, INBOX, OUTBOX, THREAD, TICKETS
from bot.store.records import (
    CloseTicket,
    CommitResult,
    Conversation,
    CounsellorReplied,
    SetAcknowledged,
    SetPriority,
    ThreadEntry,
    TicketChange,
    UnitOfWork,
)


def new_ticket_id() -> str:
    """Opaque: a ticket id in a URL tells nothing about how many there are."""
    return secrets.token_hex(12)


class MongoConversations(MongoBase):
    """ConversationStore on MongoDB."""

    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        d = await self._col(CONVERSATIONS).find_one({"_id": conversation_id})
        return docs.conversation(d) if d else None

    async def find_conversation(self, channel: str, user_id: str) -> Conversation | None:
        d = await self._col(CONVERSATIONS).find_one({"channel": channel, "user_id": user_id})
        return docs.conversation(d) if d else None

    async def thread(self, conversation_id: str, limit: int = 200) -> list[ThreadEntry]:
        cursor = (
            self._col(THREAD)
            .find({"conversation_id": conversation_id})
            .sort("seq", -1)
            .limit(limit)
        )
        return [docs.thread_entry(d) async for d in cursor][::-1]

    async def commit(self, uow: UnitOfWork, now: float) -> CommitResult:
        c = uow.conversation
        lines = len(uow.thread) + (0 if uow.erase else len(uow.replies))
        ids = {
            "thread": await self._next_ids(THREAD, lines),
            "outbox": await self._next_ids(OUTBOX, len(uow.replies)),
            "audit": await self._next_ids(AUDIT, len(uow.audit)),
            "ticket": await self._next_ids(TICKETS, 1 if uow.open_ticket else 0),
        }

        async def work(s: Session) -> tuple[CommitResult, Doc]:
            return await self._apply(s, uow, now, ids)

        result, fields = await self._tx(work)
        c.version += 1
        c.ticket_id = result.ticket_id
        for name in docs.NO_TICKET:
            setattr(c, name, fields[name])
        if uow.erase:
            c.profile, c.consent_at, c.consent_version = {}, None, None
        return result

    async def commit_many(
        self, uows: list[UnitOfWork], now: float
    ) -> list[CommitResult | StoreError]:
        # One transaction each: a conflict in one unit of work must not undo the others.
        results: list[CommitResult | StoreError] = []
        for uow in uows:
            try:
                results.append(await self.commit(uow, now))
            except (Conflict, AlreadyProcessed) as exc:
                results.append(exc)
        return results

    async def _apply(
        self, s: Session, uow: UnitOfWork, now: float, ids: dict[str, list[int]]
    ) -> tuple[CommitResult, Doc]:
        c = uow.conversation
        if uow.inbox_id is not None:
            # First, so that an erasure below leaves this event alone; a second commit is refused.
            done = await self._col(INBOX).update_one(
                {"_id": uow.inbox_id, "status": "pending"},
                {"$set": {"status": "done", "event": None, "processed_at": now}},
                session=s,
            )
            if done.matched_count != 1:
                raise AlreadyProcessed(f"inbox {uow.inbox_id} was already processed")
        stored = await self._col(CONVERSATIONS).find_one({"_id": c.id}, session=s)
        if stored is None or stored.get("version") != c.version:
            raise Conflict("conversation changed meanwhile")
        ticket_id = c.ticket_id
        if uow.open_ticket is not None:
            t = uow.open_ticket
            ticket_id = new_ticket_id()
            seq = ids["ticket"][0]
            await self._col(TICKETS).insert_one(
                {
                    "_id": ticket_id,
                    "seq": seq,
                    "conversation_id": c.id,
                    "status": "waiting",
                    "priority": t.priority,
                    "reason": t.reason,
                    "snapshot": t.snapshot,
                    "channel": c.channel,
                    "source": c.source,
                    "territory": t.territory,
                    "created_at": now,
                    "queued_at": now,
                    "claimed_at": None,
                    "assigned_to": None,
                    "first_reply_at": None,
                    "closed_at": None,
                    "outcome": None,
                    "acked": False,
                    "alerted_at": None,
                },
                session=s,
            )
        if uow.ticket_changes and ticket_id is not None:
            await self._change_ticket(s, ticket_id, uow.ticket_changes)
        if uow.erase:
            await erase_in(self.db, s, c.id, now)
            ticket_id = None
        mirror = await self._mirror(s, ticket_id)
        fields: Doc = {
            "mode": c.mode,
            "state": c.state,
            "profile": {} if uow.erase else c.profile,
            "scratch": {} if uow.erase else c.scratch,
            "source": c.source,
            "misses": c.misses,
            "consent_at": None if uow.erase else c.consent_at,
            "consent_version": None if uow.erase else c.consent_version,
            "ticket_id": ticket_id,
            "last_inbound_at": c.last_inbound_at,
            "updated_at": now,
            "user_id": f"erased:{c.id}" if uow.forget_identity else c.user_id,
            "erased": uow.forget_identity,
            **mirror,
        }
        moved = await self._col(CONVERSATIONS).update_one(
            {"_id": c.id, "version": c.version},
            {"$set": fields, "$inc": {"version": 1}},
            session=s,
        )
        if moved.matched_count != 1:
            raise Conflict("conversation changed meanwhile")
        thread_ids = ids["thread"]
        lines = [
            docs.thread_doc(i, c.id, ticket_id, e, now)
            for i, e in zip(thread_ids, uow.thread, strict=False)
        ]
        outbox: list[Doc] = []
        reply_lines = iter(thread_ids[len(uow.thread) :])
        reply_ids: list[int | None] = []
        for outbox_id, reply in zip(ids["outbox"], uow.replies, strict=True):
            # After an erasure nothing personal is written again, not even our own words.
            message_id = None if uow.erase else next(reply_lines)
            reply_ids.append(message_id)
            if message_id is not None:
                entry = ThreadEntry(
                    direction="out",
                    author=reply.author,
                    text=reply.text,
                    staff_id=reply.staff_id,
                    buttons=tuple((b.title, b.payload) for b in reply.buttons),
                    status="pending",
                )
                lines.append(docs.thread_doc(message_id, c.id, ticket_id, entry, now))
            outbox.append(
                {
                    "_id": outbox_id,
                    "seq": outbox_id,
                    "conversation_id": c.id,
                    "message_id": message_id,
                    "channel": c.channel,
                    "user_id": c.user_id,
                    "reply": reply.to_dict(),
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "last_error": None,
                    "created_at": now,
                    "sent_at": None,
                    "lease_owner": None,
                    "lease_until": None,
                }
            )
        if lines:
            await self._col(THREAD).insert_many(lines, session=s)
        if outbox:
            await self._col(OUTBOX).insert_many(outbox, session=s)
        await link_in_commit(self.db, s, uow, thread_ids[: len(uow.thread)], reply_ids, now)
        audit = [
            docs.audit_doc(i, now, "bot", a, c.id, d)
            for i, (a, d) in zip(ids["audit"], uow.audit, strict=True)
        ]
        if audit:
            await self._col(AUDIT).insert_many(audit, session=s)
        result = CommitResult(ticket_id, tuple(ids["outbox"]), tuple(thread_ids[: len(uow.thread)]))
        return result, mirror

    async def _mirror(self, s: Session, ticket_id: str | None) -> Doc:
        """The conversation's copy of its ticket's state, read inside the transaction."""
        t = await self._col(TICKETS).find_one({"_id": ticket_id}, session=s) if ticket_id else None
        if t is None:
            return dict(docs.NO_TICKET)
        return {
            "ticket_status": t["status"],
            "ticket_holder": t.get("assigned_to"),
            "ticket_priority": t["priority"],
            "ticket_acked": bool(t.get("acked")),
        }

    async def _change_ticket(self, s: Session, ticket_id: str, changes: list[TicketChange]) -> None:
        """Apply typed changes to the conversation's ticket."""
        tickets = self._col(TICKETS)
        for change in changes:
            update: dict[str, Any]
            if isinstance(change, SetPriority):
                update = {"priority": change.priority}
            elif isinstance(change, SetAcknowledged):
                update = {"acked": change.acked}
            elif isinstance(change, CounsellorReplied):
                update = {"acked": False}
                await tickets.update_one(
                    {"_id": ticket_id, "first_reply_at": None},
                    {"$set": {"first_reply_at": change.at}},
                    session=s,
                )
            elif isinstance(change, CloseTicket):
                update = {"status": "closed", "outcome": change.outcome, "closed_at": change.at}
            else:  # pragma: no cover - the union is closed
                raise TypeError(f"unknown ticket change {type(change).__name__}")
            await tickets.update_one({"_id": ticket_id}, {"$set": update}, session=s)

    async def erase_conversation(
        self, conversation_id: str, now: float, *, actor: str, action: str
    ) -> list[str]:
        audit_id = (await self._next_ids(AUDIT))[0]

        async def work(s: Session) -> list[str]:
            still_open = [
                d["_id"]
                async for d in self._col(TICKETS).find(
                    {"conversation_id": conversation_id, "status": {"$ne": "closed"}},
                    {"_id": 1},
                    session=s,
                )
            ]
            await self._col(TICKETS).update_many(
                {"conversation_id": conversation_id, "status": {"$ne": "closed"}},
                {"$set": {"status": "closed", "outcome": "erased", "closed_at": now}},
                session=s,
            )
            await erase_in(self.db, s, conversation_id, now)
            await forget_in(self.db, s, conversation_id, now)
            details = {"tickets_closed": len(still_open)}
            await self._col(AUDIT).insert_one(
                docs.audit_doc(audit_id, now, actor, action, conversation_id, details), session=s
            )
            return still_open

        return await self._tx(work)
