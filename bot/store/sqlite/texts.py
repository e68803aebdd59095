"""Text versions on SQLite: one row per version, the next number taken inside the write."""

from __future__ import annotations

import sqlite3
from typing import Any

from bot.store.roles_texts import TextStore, TextVersion
from bot.store.sqlite.db import SQLiteDatabase, transaction

_COLUMNS = "key, version, text, author_id, created_at, id"


def _version(row: tuple[Any, ...]) -> TextVersion:
    return TextVersion(*row)


class SQLiteTexts(SQLiteDatabase, TextStore):
    async def save_text_version(
        self, key: str, text: str | None, author_id: int | None, now: float
    ) -> TextVersion:
        def work(conn: sqlite3.Connection) -> tuple[Any, ...]:
            # One writer at a time: MAX + 1 cannot be taken twice.
            return conn.execute(
                "INSERT INTO text_versions (key, version, text, author_id, created_at) "
                "SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ? FROM text_versions "
                f"WHERE key = ? RETURNING {_COLUMNS}",
                (key, text, author_id, now, key),
            ).fetchone()

        return _version(await self._in_writer(transaction, work))

    async def text_versions(self, key: str) -> list[TextVersion]:
        found = await self._read_all(
            f"SELECT {_COLUMNS} FROM text_versions WHERE key = ? ORDER BY version DESC", (key,)
        )
        return [_version(r) for r in found]

    async def text_overrides(self) -> dict[str, str]:
        found = await self._read_all(
            "SELECT key, text FROM text_versions t WHERE version = "
            "(SELECT MAX(version) FROM text_versions WHERE key = t.key) AND text IS NOT NULL"
        )
        return {key: text for key, text in found}

    async def texts_stamp(self) -> int:
        row = await self._read_one("SELECT COUNT(*) FROM text_versions")
        return int(row[0]) if row else 0
