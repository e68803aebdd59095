"""Territories on MongoDB: structures, one document per area (`kind:code`), memberships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import DuplicateKeyError

from bot.store.mongo.base import MongoBase, Session
from bot.store.mongo.schema import STRUCTURE_AREAS, STRUCTURE_MEMBERS, STRUCTURES
from bot.store.roles_territories import AreaKind, Structure


def _structure(doc: dict[str, Any], areas: list[dict[str, Any]]) -> Structure:
    mine = [a for a in areas if a["structure_id"] == doc["_id"]]
    return Structure(
        doc["_id"],
        doc["name"],
        doc.get("contact", ""),
        communes=tuple(sorted(a["code"] for a in mine if a["kind"] == "commune")),
        epcis=tuple(sorted(a["code"] for a in mine if a["kind"] == "epci")),
        seeded=bool(doc.get("seeded")),
        updated_at=doc.get("updated_at", 0.0),
    )


def _assign(kind: str, code: str, structure_id: str) -> UpdateOne:
    return UpdateOne(
        {"_id": f"{kind}:{code}"},
        {"$set": {"kind": kind, "code": code, "structure_id": structure_id}},
        upsert=True,
    )


class MongoTerritories(MongoBase):
    """TerritoryStore on MongoDB."""

    async def list_structures(self) -> list[Structure]:
        docs = [d async for d in self._col(STRUCTURES).find().sort("_id", 1)]
        areas = [a async for a in self._col(STRUCTURE_AREAS).find()]
        return [_structure(d, areas) for d in docs]

    async def get_structure(self, structure_id: str) -> Structure | None:
        doc = await self._col(STRUCTURES).find_one({"_id": structure_id})
        if doc is None:
            return None
        query = {"structure_id": structure_id}
        return _structure(doc, [a async for a in self._col(STRUCTURE_AREAS).find(query)])

    async def add_structure(self, structure: Structure) -> bool:
        s = structure
        doc = {
            "_id": s.id,
            "name": s.name,
            "contact": s.contact,
            "seeded": s.seeded,
            "updated_at": s.updated_at,
        }

        async def work(session: Session) -> bool:
            # Checked first: a failed insert would abort the whole transaction.
            if await self._col(STRUCTURES).find_one({"_id": s.id}, {"_id": 1}, session=session):
                return False
            await self._col(STRUCTURES).insert_one(doc, session=session)
            ops = [
                _assign(kind, code, s.id) for kind in ("commune", "epci") for code in s.areas(kind)
            ]
            if ops:
                await self._col(STRUCTURE_AREAS).bulk_write(ops, session=session)
            return True

        try:
            return await self._tx(work)
        except DuplicateKeyError:  # another instance inserted it meanwhile
            return False

    async def update_structure(
        self, structure_id: str, name: str, contact: str, now: float
    ) -> Structure | None:
        await self._col(STRUCTURES).update_one(
            {"_id": structure_id},
            {"$set": {"name": name, "contact": contact, "seeded": False, "updated_at": now}},
        )
        return await self.get_structure(structure_id)

    async def remove_structure(self, structure_id: str) -> bool:
        async def work(session: Session) -> bool:
            query = {"structure_id": structure_id}
            await self._col(STRUCTURE_AREAS).delete_many(query, session=session)
            await self._col(STRUCTURE_MEMBERS).delete_many(query, session=session)
            gone = await self._col(STRUCTURES).delete_one({"_id": structure_id}, session=session)
            return gone.deleted_count > 0

        return await self._tx(work)

    async def assign_areas(
        self, structure_id: str, kind: AreaKind, codes: Iterable[str], now: float
    ) -> Structure | None:
        codes = list(codes)

        async def work(session: Session) -> bool:
            areas = self._col(STRUCTURE_AREAS)
            ids = [f"{kind}:{code}" for code in codes]
            found = areas.find({"_id": {"$in": ids}}, {"structure_id": 1}, session=session)
            owners = {a["structure_id"] async for a in found}
            if not await self._touch([structure_id], now, session):
                return False
            await self._touch([o for o in owners if o != structure_id], now, session)
            if codes:
                await areas.bulk_write(
                    [_assign(kind, c, structure_id) for c in codes], session=session
                )
            return True

        return await self._areas_changed(structure_id, work)

    async def release_areas(
        self, structure_id: str, kind: AreaKind, codes: Iterable[str], now: float
    ) -> Structure | None:
        ids = [f"{kind}:{code}" for code in codes]

        async def work(session: Session) -> bool:
            if not await self._touch([structure_id], now, session):
                return False
            await self._col(STRUCTURE_AREAS).delete_many(
                {"_id": {"$in": ids}, "structure_id": structure_id}, session=session
            )
            return True

        return await self._areas_changed(structure_id, work)

    async def _touch(self, structure_ids: list[str], now: float, session: Session) -> bool:
        """Mark structures edited (no longer the untouched default); False when none exists."""
        if not structure_ids:
            return True
        done = await self._col(STRUCTURES).update_many(
            {"_id": {"$in": structure_ids}},
            {"$set": {"seeded": False, "updated_at": now}},
            session=session,
        )
        return done.matched_count > 0

    async def _areas_changed(self, structure_id: str, work: Any) -> Structure | None:
        if not await self._tx(work):
            return None
        return await self.get_structure(structure_id)

    async def set_membership(self, staff_id: int, structure_id: str | None) -> bool:
        members = self._col(STRUCTURE_MEMBERS)
        if structure_id is None:
            await members.delete_one({"_id": staff_id})
            return True
        if await self._col(STRUCTURES).find_one({"_id": structure_id}, {"_id": 1}) is None:
            return False
        await members.update_one(
            {"_id": staff_id}, {"$set": {"structure_id": structure_id}}, upsert=True
        )
        return True

    async def memberships(self) -> dict[int, str]:
        return {int(d["_id"]): d["structure_id"] async for d in self._col(STRUCTURE_MEMBERS).find()}
