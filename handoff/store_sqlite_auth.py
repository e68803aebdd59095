"""Who may log in, in the SQLite file: staff rows, first-start tokens, sessions, login failures."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

import aiosqlite

from bot.store.sqlite import SQLiteStore
from handoff.store import DuplicateEmail, NewStaff, Session, Staff

STAFF_COLUMNS = "id, email, display_name, role, territory, active, created_at"


def staff_row(r: tuple[Any, ...]) -> Staff:
    return Staff(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6])


class SQLiteBase:
    """Access to the SQLiteStore's reader, and to its writer behind the shared lock."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    async def _one(self, sql: str, params: Iterable[Any] = ()) -> tuple[Any, ...] | None:
        return await self.store._read_one(sql, params)

    async def _all(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        return await self.store._read_all(sql, params)

    async def _change(self, sql: str, params: Iterable[Any] = ()) -> int:
        async with self.store._tx() as db:
            cur = await db.execute(sql, tuple(params))
            return cur.rowcount


class SQLiteSessions(SQLiteBase):
    """The identity half of the handoff store (see `handoff.store.HandoffStore`)."""

    # --- first start ---------------------------------------------------------
    async def replace_setup_token(self, token_hash: str, now: float, expires_at: float) -> None:
        async with self.store._tx() as db:
            await db.execute("DELETE FROM setup_tokens WHERE used_at IS NULL")
            await db.execute(
                "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
                (token_hash, now, expires_at),
            )

    async def setup_token_valid(self, token_hash: str, now: float) -> bool:
        row = await self._one(
            "SELECT 1 FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
            "AND NOT EXISTS (SELECT 1 FROM staff)",
            (token_hash, now),
        )
        return row is not None

    async def redeem_setup_token(self, token_hash: str, new: NewStaff, now: float) -> Staff | None:
        async with self.store._tx() as db:
            cur = await db.execute(
                "UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
                "AND expires_at > ? AND NOT EXISTS (SELECT 1 FROM staff)",
                (now, token_hash, now),
            )
            if cur.rowcount != 1:
                return None
            return await insert_staff(db, new, now)

    # --- sessions and login throttling ---------------------------------------
    async def create_session(self, session: Session) -> None:
        await self._change(
            "INSERT INTO staff_sessions (id_hash, staff_id, csrf_token, created_at, last_seen_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                session.id_hash,
                session.staff_id,
                session.csrf_token,
                session.created_at,
                session.last_seen_at,
            ),
        )

    async def get_session(self, id_hash: str) -> Session | None:
        row = await self._one(
            "SELECT id_hash, staff_id, csrf_token, created_at, last_seen_at FROM staff_sessions "
            "WHERE id_hash = ?",
            (id_hash,),
        )
        return Session(*row) if row else None

    async def touch_session(self, id_hash: str, now: float) -> None:
        await self._change(
            "UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?", (now, id_hash)
        )

    async def delete_session(self, id_hash: str) -> None:
        await self._change("DELETE FROM staff_sessions WHERE id_hash = ?", (id_hash,))

    async def purge(self, sessions_before: float, failures_before: float) -> None:
        async with self.store._tx() as db:
            await db.execute(
                "DELETE FROM staff_sessions WHERE last_seen_at < ?", (sessions_before,)
            )
            await db.execute("DELETE FROM login_failures WHERE at < ?", (failures_before,))

    async def recent_failures(self, keys: Iterable[str], since: float) -> dict[str, list[float]]:
        wanted = list(keys)
        found: dict[str, list[float]] = {key: [] for key in wanted}
        marks = ", ".join("?" for _ in wanted)
        rows = await self._all(
            f"SELECT key, at FROM login_failures WHERE key IN ({marks}) AND at >= ? ORDER BY at",
            (*wanted, since),
        )
        for key, at in rows:
            found[key].append(at)
        return found

    async def record_failure(self, keys: Iterable[str], now: float) -> None:
        async with self.store._tx() as db:
            await db.executemany(
                "INSERT INTO login_failures (key, at) VALUES (?, ?)", [(k, now) for k in keys]
            )

    async def clear_failures(self, key: str) -> None:
        await self._change("DELETE FROM login_failures WHERE key = ?", (key,))


async def insert_staff(db: aiosqlite.Connection, new: NewStaff, now: float) -> Staff:
    email = new.email.lower()
    try:
        cur = await db.execute(
            "INSERT INTO staff (email, display_name, role, territory, password_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (email, new.display_name, new.role, new.territory, new.password_hash, now),
        )
    except sqlite3.IntegrityError:
        raise DuplicateEmail("an account with this e-mail exists") from None
    assert cur.lastrowid is not None
    return Staff(cur.lastrowid, email, new.display_name, new.role, new.territory, True, now)
