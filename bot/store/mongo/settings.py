"""Account administration, canned replies one by one and the audit log's page on MongoDB."""

from __future__ import annotations

import secrets
from typing import Any

from bot.store.mongo import documents as docs
from bot.store.mongo.base import Doc, MongoBase, Session
from bot.store.mongo.schema import AUDIT, RESET_TOKENS, SESSIONS, SETTINGS, STAFF
from bot.store.records import AuditEntry, Role, Staff
from bot.store.roles_settings import AuditQuery, CannedItem

CANNED = "canned_replies"  # the settings document holding the ordered list


def _with_ids(items: list[Doc]) -> list[Doc]:
    """The list with an id on every reply (a bulk replace may have written some without)."""
    return [i if i.get("id") else {**i, "id": secrets.token_hex(8)} for i in items]


def _item(items: list[Doc], item_id: str) -> CannedItem | None:
    for position, i in enumerate(items):
        if i["id"] == item_id:
            return CannedItem(i["id"], i["title"], i["text"], position)
    return None


class MongoSettings(MongoBase):
    """AccountAdminStore, CannedStore and AuditLogStore on MongoDB."""

    # --- accounts ------------------------------------------------------------------------
    async def set_staff_role(self, staff_id: int, role: Role) -> Staff | None:
        await self._col(STAFF).update_one({"_id": staff_id}, {"$set": {"role": role}})
        d = await self._col(STAFF).find_one({"_id": staff_id})
        return docs.staff(d) if d else None

    async def create_reset_token(
        self, token_hash: str, staff_id: int, now: float, expires_at: float
    ) -> None:
        async def work(s: Session) -> None:
            await self._col(RESET_TOKENS).delete_many(
                {"staff_id": staff_id, "used_at": None}, session=s
            )
            await self._col(RESET_TOKENS).insert_one(
                {
                    "_id": token_hash,
                    "staff_id": staff_id,
                    "created_at": now,
                    "expires_at": expires_at,
                    "used_at": None,
                },
                session=s,
            )

        await self._tx(work)

    async def _valid_token(self, token_hash: str, now: float, s: Session | None) -> int | None:
        token = await self._col(RESET_TOKENS).find_one(
            {"_id": token_hash, "used_at": None, "expires_at": {"$gt": now}}, session=s
        )
        if token is None:
            return None
        staff = await self._col(STAFF).find_one(
            {"_id": token["staff_id"], "active": True}, {"_id": 1}, session=s
        )
        return int(token["staff_id"]) if staff else None

    async def reset_token_staff(self, token_hash: str, now: float) -> int | None:
        return await self._valid_token(token_hash, now, None)

    async def redeem_reset_token(
        self, token_hash: str, password_hash: str, now: float
    ) -> int | None:
        async def work(s: Session) -> int | None:
            staff_id = await self._valid_token(token_hash, now, s)
            if staff_id is None:
                return None
            spent = await self._col(RESET_TOKENS).update_one(
                {"_id": token_hash, "used_at": None}, {"$set": {"used_at": now}}, session=s
            )
            if spent.modified_count != 1:
                return None
            await self._col(STAFF).update_one(
                {"_id": staff_id}, {"$set": {"password_hash": password_hash}}, session=s
            )
            await self._col(SESSIONS).delete_many({"staff_id": staff_id}, session=s)
            return staff_id

        return await self._tx(work)

    async def change_password(
        self, staff_id: int, password_hash: str, keep_session: str | None
    ) -> None:
        async def work(s: Session) -> None:
            await self._col(STAFF).update_one(
                {"_id": staff_id}, {"$set": {"password_hash": password_hash}}, session=s
            )
            await self._col(SESSIONS).delete_many(
                {"staff_id": staff_id, "_id": {"$ne": keep_session}}, session=s
            )

        await self._tx(work)

    # --- canned replies: one ordered list in one document, changed in a transaction -------
    async def _canned(self, s: Session | None = None) -> list[Doc]:
        d = await self._col(SETTINGS).find_one({"_id": CANNED}, session=s)
        return list((d or {}).get("items", []))

    async def _ensure_canned(self) -> None:
        """Create the list's document first: a transaction cannot read a missing collection."""
        await self._col(SETTINGS).update_one(
            {"_id": CANNED}, {"$setOnInsert": {"items": []}}, upsert=True
        )

    async def _save_canned(self, items: list[Doc], s: Session) -> None:
        await self._col(SETTINGS).update_one(
            {"_id": CANNED}, {"$set": {"items": items}}, upsert=True, session=s
        )

    async def canned_items(self) -> list[CannedItem]:
        items = await self._canned()
        if any(not i.get("id") for i in items):

            async def work(s: Session) -> list[Doc]:
                fixed = _with_ids(await self._canned(s))
                await self._save_canned(fixed, s)
                return fixed

            await self._ensure_canned()
            items = await self._tx(work)
        return [CannedItem(i["id"], i["title"], i["text"], n) for n, i in enumerate(items)]

    async def add_canned(self, title: str, text: str) -> CannedItem:
        new = {"id": secrets.token_hex(8), "title": title, "text": text}

        async def work(s: Session) -> CannedItem:
            items = [*_with_ids(await self._canned(s)), new]
            await self._save_canned(items, s)
            return CannedItem(new["id"], title, text, len(items) - 1)

        await self._ensure_canned()
        return await self._tx(work)

    async def edit_canned(self, item_id: str, title: str, text: str) -> CannedItem | None:
        async def work(s: Session) -> CannedItem | None:
            items = _with_ids(await self._canned(s))
            if _item(items, item_id) is None:
                return None
            items = [
                {**i, "title": title, "text": text} if i["id"] == item_id else i for i in items
            ]
            await self._save_canned(items, s)
            return _item(items, item_id)

        await self._ensure_canned()
        return await self._tx(work)

    async def move_canned(self, item_id: str, position: int) -> CannedItem | None:
        async def work(s: Session) -> CannedItem | None:
            items = _with_ids(await self._canned(s))
            moving = [i for i in items if i["id"] == item_id]
            if not moving:
                return None
            rest = [i for i in items if i["id"] != item_id]
            rest.insert(max(0, min(position, len(rest))), moving[0])
            await self._save_canned(rest, s)
            return _item(rest, item_id)

        await self._ensure_canned()
        return await self._tx(work)

    async def delete_canned(self, item_id: str) -> bool:
        async def work(s: Session) -> bool:
            items = _with_ids(await self._canned(s))
            kept = [i for i in items if i["id"] != item_id]
            if len(kept) == len(items):
                return False
            await self._save_canned(kept, s)
            return True

        await self._ensure_canned()
        return await self._tx(work)

    # --- the audit log -------------------------------------------------------------------
    async def audit_log(self, query: AuditQuery) -> list[AuditEntry]:
        wanted: dict[str, Any] = {}
        if query.actor is not None:
            wanted["actor"] = query.actor
        if query.action is not None:
            wanted["action"] = query.action
        at: dict[str, float] = {}
        if query.since is not None:
            at["$gte"] = query.since
        if query.until is not None:
            at["$lt"] = query.until
        if at:
            wanted["at"] = at
        if query.before_id is not None:
            wanted["seq"] = {"$lt": query.before_id}
        cursor = self._col(AUDIT).find(wanted).sort("seq", -1).limit(query.limit)
        return [docs.audit_entry(d) async for d in cursor]

    async def audit_actions(self) -> list[str]:
        cursor = await self._col(AUDIT).aggregate([{"$group": {"_id": "$action"}}])
        return sorted([d["_id"] async for d in cursor if isinstance(d["_id"], str)])
