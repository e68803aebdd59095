"""Sources on MongoDB: one document per code (the `_id`)."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import SOURCES
from bot.store.roles_sources import NewSource, Source

_SORT = [("created_at", DESCENDING), ("code", ASCENDING)]


def _source(doc: dict[str, Any]) -> Source:
    return Source(
        doc["code"],
        doc["label"],
        doc["kind"],
        doc["commune"],
        doc.get("contact"),
        bool(doc.get("archived")),
        doc["created_at"],
    )


class MongoSources(MongoBase):
    """SourceStore on MongoDB."""

    async def create_source(self, new: NewSource, now: float) -> Source | None:
        source = Source(new.code, new.label, new.kind, new.commune, new.contact, False, now)
        doc = {"_id": new.code, **vars(source)}
        try:
            await self._col(SOURCES).insert_one(doc)
        except DuplicateKeyError:
            return None
        return source

    async def get_source(self, code: str) -> Source | None:
        doc = await self._col(SOURCES).find_one({"_id": code})
        return _source(doc) if doc else None

    async def list_sources(self, *, archived: bool = True) -> list[Source]:
        query: dict[str, Any] = {} if archived else {"archived": False}
        return [_source(d) async for d in self._col(SOURCES).find(query).sort(_SORT)]

    async def set_source_archived(self, code: str, archived: bool) -> Source | None:
        doc = await self._col(SOURCES).find_one_and_update(
            {"_id": code},
            {"$set": {"archived": archived}},
            return_document=ReturnDocument.AFTER,
        )
        return _source(doc) if doc else None
