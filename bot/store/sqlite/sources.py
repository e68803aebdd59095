"""Sources on SQLite: one row per code."""

from __future__ import annotations

from typing import Any

from bot.store.roles_sources import NewSource, Source, SourceStore
from bot.store.sqlite.db import SQLiteDatabase

_COLUMNS = "code, label, kind, commune, contact, archived, created_at"


def _source(row: tuple[Any, ...]) -> Source:
    code, label, kind, commune, contact, archived, created_at = row
    return Source(code, label, kind, commune, contact, bool(archived), created_at)


class SQLiteSources(SQLiteDatabase, SourceStore):
    async def create_source(self, new: NewSource, now: float) -> Source | None:
        added = await self._change(
            f"INSERT INTO sources ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, 0, ?) "
            "ON CONFLICT (code) DO NOTHING",
            (new.code, new.label, new.kind, new.commune, new.contact, now),
        )
        if not added:
            return None
        return Source(new.code, new.label, new.kind, new.commune, new.contact, False, now)

    async def get_source(self, code: str) -> Source | None:
        row = await self._read_one(f"SELECT {_COLUMNS} FROM sources WHERE code = ?", (code,))
        return _source(row) if row else None

    async def list_sources(self, *, archived: bool = True) -> list[Source]:
        where = "" if archived else "WHERE archived = 0"
        found = await self._read_all(
            f"SELECT {_COLUMNS} FROM sources {where} ORDER BY created_at DESC, code"
        )
        return [_source(r) for r in found]

    async def set_source_archived(self, code: str, archived: bool) -> Source | None:
        await self._change("UPDATE sources SET archived = ? WHERE code = ?", (int(archived), code))
        return await self.get_source(code)
