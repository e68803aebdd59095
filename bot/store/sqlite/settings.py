"""Account administration, canned replies one by one and the audit log's page on SQLite."""

from __future__ import annotations

import json
import secrets
import sqlite3
from typing import Any

from bot.store.records import AuditEntry, Role, Staff
from bot.store.roles_settings import (
    AccountAdminStore,
    AuditLogStore,
    AuditQuery,
    CannedItem,
    CannedStore,
)
from bot.store.sqlite.db import SQLiteDatabase, transaction

_ACTIVE = "staff_id IN (SELECT id FROM staff WHERE active = 1)"


def _renumber(conn: sqlite3.Connection, uids: list[str]) -> None:
    """Give the replies the positions 0..n-1 in this order (positions are a primary key)."""
    conn.execute("UPDATE canned_replies SET position = -1 - position")
    conn.executemany("UPDATE canned_replies SET position = ? WHERE uid = ?", list(enumerate(uids)))


def _order(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT uid FROM canned_replies ORDER BY position").fetchall()
    return [r[0] for r in rows]


def _item(conn: sqlite3.Connection, uid: str) -> CannedItem | None:
    row = conn.execute(
        "SELECT uid, title, text, position FROM canned_replies WHERE uid = ?", (uid,)
    ).fetchone()
    return CannedItem(*row) if row else None


def _placed(conn: sqlite3.Connection, item: CannedItem) -> CannedItem:
    """The item with its rank in the list (positions may have gaps after a bulk replace)."""
    (before,) = conn.execute(
        "SELECT COUNT(*) FROM canned_replies WHERE position < ?", (item.position,)
    ).fetchone()
    return CannedItem(item.id, item.title, item.text, int(before))


class SQLiteSettings(SQLiteDatabase, AccountAdminStore, CannedStore, AuditLogStore):
    # --- accounts ------------------------------------------------------------------------
    async def set_staff_role(self, staff_id: int, role: Role) -> Staff | None:
        await self._change("UPDATE staff SET role = ? WHERE id = ?", (role, staff_id))
        return await self.get_staff(staff_id)  # type: ignore[attr-defined]

    async def create_reset_token(
        self, token_hash: str, staff_id: int, now: float, expires_at: float
    ) -> None:
        await self._write_each(
            ("DELETE FROM staff_reset_tokens WHERE staff_id = ? AND used_at IS NULL", (staff_id,)),
            (
                "INSERT INTO staff_reset_tokens (token_hash, staff_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (token_hash, staff_id, now, expires_at),
            ),
        )

    async def reset_token_staff(self, token_hash: str, now: float) -> int | None:
        row = await self._read_one(
            "SELECT staff_id FROM staff_reset_tokens WHERE token_hash = ? AND used_at IS NULL "
            f"AND expires_at > ? AND {_ACTIVE}",
            (token_hash, now),
        )
        return int(row[0]) if row else None

    async def redeem_reset_token(
        self, token_hash: str, password_hash: str, now: float
    ) -> int | None:
        def work(conn: sqlite3.Connection) -> int | None:
            row = conn.execute(
                "UPDATE staff_reset_tokens SET used_at = ? WHERE token_hash = ? "
                f"AND used_at IS NULL AND expires_at > ? AND {_ACTIVE} RETURNING staff_id",
                (now, token_hash, now),
            ).fetchone()
            if row is None:
                return None
            staff_id = int(row[0])
            conn.execute(
                "UPDATE staff SET password_hash = ? WHERE id = ?", (password_hash, staff_id)
            )
            conn.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
            return staff_id

        return await self._in_writer(transaction, work)

    async def change_password(
        self, staff_id: int, password_hash: str, keep_session: str | None
    ) -> None:
        await self._write_each(
            ("UPDATE staff SET password_hash = ? WHERE id = ?", (password_hash, staff_id)),
            (
                "DELETE FROM staff_sessions WHERE staff_id = ? AND id_hash IS NOT ?",
                (staff_id, keep_session),
            ),
        )

    # --- canned replies ------------------------------------------------------------------
    async def canned_items(self) -> list[CannedItem]:
        found = await self._read_all(
            "SELECT uid, title, text, position FROM canned_replies ORDER BY position"
        )
        return [CannedItem(r[0], r[1], r[2], i) for i, r in enumerate(found)]

    async def add_canned(self, title: str, text: str) -> CannedItem:
        uid = secrets.token_hex(8)

        def work(conn: sqlite3.Connection) -> CannedItem:
            (count,) = conn.execute("SELECT COUNT(*) FROM canned_replies").fetchone()
            conn.execute(
                "INSERT INTO canned_replies (position, title, text, uid) "
                "SELECT COALESCE(MAX(position) + 1, 0), ?, ?, ? FROM canned_replies",
                (title, text, uid),
            )
            return CannedItem(uid, title, text, count)

        return await self._in_writer(transaction, work)

    async def edit_canned(self, item_id: str, title: str, text: str) -> CannedItem | None:
        def work(conn: sqlite3.Connection) -> CannedItem | None:
            conn.execute(
                "UPDATE canned_replies SET title = ?, text = ? WHERE uid = ?",
                (title, text, item_id),
            )
            found = _item(conn, item_id)
            return None if found is None else _placed(conn, found)

        return await self._in_writer(transaction, work)

    async def move_canned(self, item_id: str, position: int) -> CannedItem | None:
        def work(conn: sqlite3.Connection) -> CannedItem | None:
            uids = _order(conn)
            if item_id not in uids:
                return None
            uids.remove(item_id)
            uids.insert(max(0, min(position, len(uids))), item_id)
            _renumber(conn, uids)
            found = _item(conn, item_id)
            return None if found is None else _placed(conn, found)

        return await self._in_writer(transaction, work)

    async def delete_canned(self, item_id: str) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            gone = conn.execute("DELETE FROM canned_replies WHERE uid = ?", (item_id,)).rowcount
            _renumber(conn, _order(conn))
            return gone == 1

        return await self._in_writer(transaction, work)

    # --- the audit log -------------------------------------------------------------------
    async def audit_log(self, query: AuditQuery) -> list[AuditEntry]:
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        for clause, value in (
            ("actor = ?", query.actor),
            ("action = ?", query.action),
            ("at >= ?", query.since),
            ("at < ?", query.until),
            ("id < ?", query.before_id),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        found = await self._read_all(
            "SELECT id, at, actor, action, target, details FROM audit "
            f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
            (*params, query.limit),
        )
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in found]

    async def audit_actions(self) -> list[str]:
        found = await self._read_all("SELECT DISTINCT action FROM audit ORDER BY action")
        return [r[0] for r in found]
