"""Who may log in, on SQLite: staff rows, first-start tokens, sessions, login failures."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import aiosqlite

from bot.store.errors import DuplicateEmail
from bot.store.records import NewStaff, Session, Staff
from bot.store.roles_handoff import StaffStore
from bot.store.sqlite import rows, writes
from bot.store.sqlite.db import SQLiteDatabase


class SQLiteStaff(SQLiteDatabase, StaffStore):
    # --- accounts ------------------------------------------------------------
    async def count_staff(self) -> int:
        row = await self._read_one("SELECT COUNT(*) FROM staff")
        return int(row[0]) if row else 0

    async def create_staff(self, new: NewStaff, now: float) -> Staff:
        async with self._tx() as db:
            return await _insert_staff(db, new, now)

    async def get_staff(self, staff_id: int) -> Staff | None:
        row = await self._read_one(
            f"SELECT {rows.STAFF_COLUMNS} FROM staff WHERE id = ?", (staff_id,)
        )
        return rows.staff(row) if row else None

    async def find_login(self, email: str) -> tuple[Staff, str] | None:
        row = await self._read_one(
            f"SELECT {rows.STAFF_COLUMNS}, password_hash FROM staff WHERE email = ?",
            (email.lower(),),
        )
        return (rows.staff(row[:-1]), row[-1]) if row else None

    async def list_staff(self) -> list[Staff]:
        found = await self._read_all(
            f"SELECT {rows.STAFF_COLUMNS} FROM staff ORDER BY active DESC, display_name, id"
        )
        return [rows.staff(r) for r in found]

    async def set_password_hash(self, staff_id: int, password_hash: str) -> None:
        await self._change(
            "UPDATE staff SET password_hash = ? WHERE id = ?", (password_hash, staff_id)
        )

    async def disable_staff(self, staff_id: int, now: float) -> list[str]:
        async with self._tx() as db:
            await db.execute(
                "UPDATE staff SET active = 0, disabled_at = COALESCE(disabled_at, ?) WHERE id = ?",
                (now, staff_id),
            )
            await db.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
            # A disabled account's devices are nobody's: their push addresses go with it.
            await db.execute("DELETE FROM push_subscriptions WHERE staff_id = ?", (staff_id,))
            async with db.execute(
                "SELECT id FROM tickets WHERE status = 'assigned' AND assigned_to = ? "
                "ORDER BY claimed_at, id",
                (staff_id,),
            ) as cur:
                held = [r[0] for r in await cur.fetchall()]
            for ticket_id in held:
                await writes.requeue(db, ticket_id, None, now)
        return held

    # --- first start ---------------------------------------------------------
    async def replace_setup_token(self, token_hash: str, now: float, expires_at: float) -> None:
        async with self._tx() as db:
            await db.execute("DELETE FROM setup_tokens WHERE used_at IS NULL")
            await db.execute(
                "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
                (token_hash, now, expires_at),
            )

    async def setup_token_valid(self, token_hash: str, now: float) -> bool:
        row = await self._read_one(
            "SELECT 1 FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
            "AND NOT EXISTS (SELECT 1 FROM staff)",
            (token_hash, now),
        )
        return row is not None

    async def redeem_setup_token(self, token_hash: str, new: NewStaff, now: float) -> Staff | None:
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
                "AND expires_at > ? AND NOT EXISTS (SELECT 1 FROM staff)",
                (now, token_hash, now),
            )
            if cur.rowcount != 1:
                return None
            return await _insert_staff(db, new, now)

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
        row = await self._read_one(
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
        async with self._tx() as db:
            await db.execute(
                "DELETE FROM staff_sessions WHERE last_seen_at < ?", (sessions_before,)
            )
            await db.execute("DELETE FROM login_failures WHERE at < ?", (failures_before,))

    async def recent_failures(self, keys: Iterable[str], since: float) -> dict[str, list[float]]:
        wanted = list(keys)
        found: dict[str, list[float]] = {key: [] for key in wanted}
        marks = ", ".join("?" for _ in wanted)
        for key, at in await self._read_all(
            f"SELECT key, at FROM login_failures WHERE key IN ({marks}) AND at >= ? ORDER BY at",
            (*wanted, since),
        ):
            found[key].append(at)
        return found

    async def record_failure(self, keys: Iterable[str], now: float) -> None:
        async with self._tx() as db:
            await db.executemany(
                "INSERT INTO login_failures (key, at) VALUES (?, ?)", [(k, now) for k in keys]
            )

    async def clear_failures(self, key: str) -> None:
        await self._change("DELETE FROM login_failures WHERE key = ?", (key,))


async def _insert_staff(db: aiosqlite.Connection, new: NewStaff, now: float) -> Staff:
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
