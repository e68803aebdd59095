"""Text versions on MongoDB: one document per version, unique on (key, version)."""

from __future__ import annotations

from typing import Any

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from bot.store.mongo.base import MongoBase
from bot.store.mongo.schema import TEXT_VERSIONS
from bot.store.roles_texts import TextVersion

# Two instances saving the same key at once: one gets the number, the other takes the next.
SAVE_ATTEMPTS = 8


def _version(doc: dict[str, Any]) -> TextVersion:
    return TextVersion(
        doc["key"], doc["version"], doc.get("text"), doc.get("author_id"), doc["at"], doc["seq"]
    )


class MongoTexts(MongoBase):
    """TextStore on MongoDB."""

    async def save_text_version(
        self, key: str, text: str | None, author_id: int | None, now: float
    ) -> TextVersion:
        col = self._col(TEXT_VERSIONS)
        for _ in range(SAVE_ATTEMPTS):
            last = await col.find_one({"key": key}, {"version": 1}, sort=[("version", DESCENDING)])
            seq = (await self._next_ids(TEXT_VERSIONS))[0]
            made = TextVersion(key, (last or {}).get("version", 0) + 1, text, author_id, now, seq)
            doc = {
                "_id": seq,
                "seq": seq,
                "key": key,
                "version": made.version,
                "text": text,
                "author_id": author_id,
                "at": now,
            }
            try:
                await col.insert_one(doc)
            except DuplicateKeyError:
                continue
            return made
        raise RuntimeError("text version: too many concurrent saves of one key")

    async def text_versions(self, key: str) -> list[TextVersion]:
        cursor = self._col(TEXT_VERSIONS).find({"key": key}).sort("version", DESCENDING)
        return [_version(d) async for d in cursor]

    async def text_overrides(self) -> dict[str, str]:
        latest: dict[str, tuple[int, str | None]] = {}
        cursor = self._col(TEXT_VERSIONS).find({}, {"key": 1, "version": 1, "text": 1})
        async for doc in cursor:
            known = latest.get(doc["key"])
            if known is None or doc["version"] > known[0]:
                latest[doc["key"]] = (doc["version"], doc.get("text"))
        return {key: text for key, (_, text) in latest.items() if text is not None}

    async def texts_stamp(self) -> int:
        # A count, not the highest seq: seqs are drawn before their insert commits.
        return await self._col(TEXT_VERSIONS).count_documents({})
