"""Staff, sessions, login throttling, notes, meetings, canned replies and audit on MongoDB."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from bot.store.errors import DuplicateEmail
from bot.store.mongo import documents as docs
from bot.store.mongo.base import MongoBase, Session
from bot.store.mongo.schema import (
    AUDIT,
    CONVERSATIONS,
    LOGIN_FAILURES,
    MEETINGS,
    NOTES,
    PUSH_SUBSCRIPTIONS,
    SESSIONS,
    SETTINGS,
    SETUP_TOKENS,
    STAFF,
    TICKETS,
)
from bot.store.records import (
    AuditEntry,
    CannedReply,
    Meeting,
    NewStaff,
    Note,
    Staff,
)
from bot.store.records import Session as StaffSession

CANNED = "canned_replies"


class MongoStaff(MongoBase):
    """StaffStore, NotesStore and AuditStore on MongoDB."""

    # --- accounts ----------------------------------------------------------------------
    async def count_staff(self) -> int:
        return await self._col(STAFF).count_documents({})

    async def _insert_staff(
        self, new: NewStaff, now: float, s: Session | None = None, staff_id: int | None = None
    ) -> Staff:
        email = new.email.lower()
        if staff_id is None:
            staff_id = (await self._next_ids(STAFF))[0]
        try:
            await self._col(STAFF).insert_one(
                {
                    "_id": staff_id,
                    "seq": staff_id,
                    "email": email,
                    "display_name": new.display_name,
                    "role": new.role,
                    "territory": new.territory,
                    "password_hash": new.password_hash,
                    "active": True,
                    "created_at": now,
                    "disabled_at": None,
                },
                session=s,
            )
        except DuplicateKeyError:
            raise DuplicateEmail("an account with this e-mail exists") from None
        return Staff(staff_id, email, new.display_name, new.role, new.territory, True, now)

    async def create_staff(self, new: NewStaff, now: float) -> Staff:
        return await self._insert_staff(new, now)

    async def get_staff(self, staff_id: int) -> Staff | None:
        d = await self._col(STAFF).find_one({"_id": staff_id})
        return docs.staff(d) if d else None

    async def find_login(self, email: str) -> tuple[Staff, str] | None:
        d = await self._col(STAFF).find_one({"email": email.lower()})
        return (docs.staff(d), d["password_hash"]) if d else None

    async def list_staff(self) -> list[Staff]:
        cursor = self._col(STAFF).find().sort([("active", -1), ("display_name", 1), ("seq", 1)])
        return [docs.staff(d) async for d in cursor]

    async def set_password_hash(self, staff_id: int, password_hash: str) -> None:
        await self._col(STAFF).update_one(
            {"_id": staff_id}, {"$set": {"password_hash": password_hash}}
        )

    async def disable_staff(self, staff_id: int, now: float) -> list[str]:
        async def work(s: Session) -> list[str]:
            await self._col(STAFF).update_one(
                {"_id": staff_id}, {"$set": {"active": False}}, session=s
            )
            await self._col(STAFF).update_one(
                {"_id": staff_id, "disabled_at": None}, {"$set": {"disabled_at": now}}, session=s
            )
            await self._col(SESSIONS).delete_many({"staff_id": staff_id}, session=s)
            # A disabled account's devices are nobody's: their push addresses go with it.
            await self._col(PUSH_SUBSCRIPTIONS).delete_many({"staff_id": staff_id}, session=s)
            held = [
                d["_id"]
                async for d in self._col(TICKETS).find(
                    {"status": "assigned", "assigned_to": staff_id}, {"_id": 1}, session=s
                )
            ]
            if held:
                await self._col(TICKETS).update_many(
                    {"_id": {"$in": held}},
                    {
                        "$set": {
                            "status": "waiting",
                            "assigned_to": None,
                            "acked": False,
                            "alerted_at": None,
                            "queued_at": now,
                        }
                    },
                    session=s,
                )
                await self._col(CONVERSATIONS).update_many(
                    {"ticket_id": {"$in": held}},
                    {
                        "$set": {
                            "mode": "waiting",
                            "ticket_status": "waiting",
                            "ticket_holder": None,
                            "ticket_acked": False,
                            "updated_at": now,
                        },
                        "$inc": {"version": 1},
                    },
                    session=s,
                )
            return held

        return await self._tx(work)

    # --- first start -------------------------------------------------------------------
    async def replace_setup_token(self, token_hash: str, now: float, expires_at: float) -> None:
        async def work(s: Session) -> None:
            await self._col(SETUP_TOKENS).delete_many({"used_at": None}, session=s)
            await self._col(SETUP_TOKENS).insert_one(
                {"_id": token_hash, "created_at": now, "expires_at": expires_at, "used_at": None},
                session=s,
            )

        await self._tx(work)

    async def setup_token_valid(self, token_hash: str, now: float) -> bool:
        token = await self._col(SETUP_TOKENS).find_one(
            {"_id": token_hash, "used_at": None, "expires_at": {"$gt": now}}
        )
        return token is not None and await self.count_staff() == 0

    async def redeem_setup_token(self, token_hash: str, new: NewStaff, now: float) -> Staff | None:
        staff_id = (await self._next_ids(STAFF))[0]

        async def work(s: Session) -> Staff | None:
            if await self._col(STAFF).find_one({}, {"_id": 1}, session=s) is not None:
                return None
            spent = await self._col(SETUP_TOKENS).update_one(
                {"_id": token_hash, "used_at": None, "expires_at": {"$gt": now}},
                {"$set": {"used_at": now}},
                session=s,
            )
            if spent.modified_count != 1:
                return None
            return await self._insert_staff(new, now, s, staff_id)

        return await self._tx(work)

    # --- sessions and login throttling ---------------------------------------------------
    async def create_session(self, session: StaffSession) -> None:
        await self._col(SESSIONS).insert_one(
            {
                "_id": session.id_hash,
                "staff_id": session.staff_id,
                "csrf_token": session.csrf_token,
                "created_at": session.created_at,
                "last_seen_at": session.last_seen_at,
            }
        )

    async def get_session(self, id_hash: str) -> StaffSession | None:
        d = await self._col(SESSIONS).find_one({"_id": id_hash})
        if d is None:
            return None
        return StaffSession(
            d["_id"], d["staff_id"], d["csrf_token"], d["created_at"], d["last_seen_at"]
        )

    async def touch_session(self, id_hash: str, now: float) -> None:
        await self._col(SESSIONS).update_one({"_id": id_hash}, {"$set": {"last_seen_at": now}})

    async def delete_session(self, id_hash: str) -> None:
        await self._col(SESSIONS).delete_one({"_id": id_hash})

    async def purge(self, sessions_before: float, failures_before: float) -> None:
        await self._col(SESSIONS).delete_many({"last_seen_at": {"$lt": sessions_before}})
        await self._col(LOGIN_FAILURES).delete_many({"at": {"$lt": failures_before}})

    async def recent_failures(self, keys: Iterable[str], since: float) -> dict[str, list[float]]:
        wanted = list(keys)
        found: dict[str, list[float]] = {key: [] for key in wanted}
        cursor = (
            self._col(LOGIN_FAILURES)
            .find({"key": {"$in": wanted}, "at": {"$gte": since}})
            .sort("at", 1)
        )
        async for d in cursor:
            found[d["key"]].append(d["at"])
        return found

    async def record_failure(self, keys: Iterable[str], now: float) -> None:
        # The TTL backstop counts from the wall clock, whatever clock `now` comes from.
        when = datetime.now(UTC)
        rows = [{"key": k, "at": now, "expire_at": when} for k in keys]
        if rows:
            await self._col(LOGIN_FAILURES).insert_many(rows)

    async def clear_failures(self, key: str) -> None:
        await self._col(LOGIN_FAILURES).delete_many({"key": key})

    # --- notes, meetings, canned replies -----------------------------------------------
    async def add_note(self, ticket_id: str, staff_id: int, text: str, now: float) -> Note:
        note_id = (await self._next_ids(NOTES))[0]
        d = {
            "_id": note_id,
            "seq": note_id,
            "ticket_id": ticket_id,
            "staff_id": staff_id,
            "text": text,
            "created_at": now,
        }
        await self._col(NOTES).insert_one(d)
        return docs.note(d)

    async def notes(self, ticket_id: str) -> list[Note]:
        cursor = self._col(NOTES).find({"ticket_id": ticket_id}).sort("seq", 1)
        return [docs.note(d) async for d in cursor]

    async def add_meeting(
        self,
        ticket_id: str,
        staff_id: int,
        day: str,
        time: str,
        place: str,
        message_id: int | None,
        now: float,
    ) -> Meeting:
        meeting_id = (await self._next_ids(MEETINGS))[0]
        d = {
            "_id": meeting_id,
            "seq": meeting_id,
            "ticket_id": ticket_id,
            "staff_id": staff_id,
            "day": day,
            "time": time,
            "place": place,
            "message_id": message_id,
            "created_at": now,
        }
        await self._col(MEETINGS).insert_one(d)
        return docs.meeting(d)

    async def meetings(self, ticket_id: str) -> list[Meeting]:
        cursor = self._col(MEETINGS).find({"ticket_id": ticket_id}).sort("seq", 1)
        return [docs.meeting(d) async for d in cursor]

    async def canned_replies(self) -> list[CannedReply]:
        d = await self._col(SETTINGS).find_one({"_id": CANNED})
        return [CannedReply(r["title"], r["text"]) for r in (d or {}).get("items", [])]

    async def replace_canned_replies(self, replies: list[CannedReply]) -> None:
        items = [{"title": r.title, "text": r.text} for r in replies]
        await self._col(SETTINGS).update_one(
            {"_id": CANNED}, {"$set": {"items": items}}, upsert=True
        )

    # --- audit -------------------------------------------------------------------------
    async def audit(
        self, actor: str, action: str, target: str | None, details: dict[str, Any], now: float
    ) -> None:
        audit_id = (await self._next_ids(AUDIT))[0]
        await self._col(AUDIT).insert_one(
            docs.audit_doc(audit_id, now, actor, action, target, details)
        )

    async def audit_trail(self, targets: Iterable[str]) -> list[AuditEntry]:
        wanted = list(targets)
        if not wanted:
            return []
        cursor = self._col(AUDIT).find({"target": {"$in": wanted}}).sort("seq", 1)
        return [docs.audit_entry(d) async for d in cursor]
