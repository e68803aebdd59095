"""Territories on SQLite: structures, their areas (one owner each), and staff memberships."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from bot.store.roles_territories import AreaKind, Structure, TerritoryStore
from bot.store.sqlite.db import SQLiteDatabase, transaction

_COLUMNS = "id, name, contact, seeded, updated_at"
_ASSIGN = (
    "INSERT INTO structures_areas (kind, code, structure_id) VALUES (?, ?, ?) "
    "ON CONFLICT (kind, code) DO UPDATE SET structure_id = excluded.structure_id"
)


def _structure(row: tuple[Any, ...], areas: list[tuple[Any, ...]]) -> Structure:
    sid, name, contact, seeded, updated_at = row
    mine = [(kind, code) for owner, kind, code in areas if owner == sid]
    return Structure(
        sid,
        name,
        contact,
        communes=tuple(sorted(code for kind, code in mine if kind == "commune")),
        epcis=tuple(sorted(code for kind, code in mine if kind == "epci")),
        seeded=bool(seeded),
        updated_at=updated_at,
    )


def _touch(conn: sqlite3.Connection, structure_id: str, now: float) -> bool:
    """Mark a structure edited (no longer the untouched default); False when absent."""
    cur = conn.execute(
        "UPDATE structures SET seeded = 0, updated_at = ? WHERE id = ?", (now, structure_id)
    )
    return cur.rowcount > 0


class SQLiteTerritories(SQLiteDatabase, TerritoryStore):
    async def list_structures(self) -> list[Structure]:
        found = await self._read_all(f"SELECT {_COLUMNS} FROM structures ORDER BY id")
        areas = await self._read_all("SELECT structure_id, kind, code FROM structures_areas")
        return [_structure(row, areas) for row in found]

    async def get_structure(self, structure_id: str) -> Structure | None:
        row = await self._read_one(
            f"SELECT {_COLUMNS} FROM structures WHERE id = ?", (structure_id,)
        )
        if row is None:
            return None
        areas = await self._read_all(
            "SELECT structure_id, kind, code FROM structures_areas WHERE structure_id = ?",
            (structure_id,),
        )
        return _structure(row, areas)

    async def add_structure(self, structure: Structure) -> bool:
        s = structure

        def work(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                f"INSERT INTO structures ({_COLUMNS}) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (s.id, s.name, s.contact, int(s.seeded), s.updated_at),
            )
            if cur.rowcount == 0:
                return False
            for kind in ("commune", "epci"):
                conn.executemany(_ASSIGN, [(kind, code, s.id) for code in s.areas(kind)])
            return True

        return await self._in_writer(transaction, work)

    async def update_structure(
        self, structure_id: str, name: str, contact: str, now: float
    ) -> Structure | None:
        await self._change(
            "UPDATE structures SET name = ?, contact = ?, seeded = 0, updated_at = ? WHERE id = ?",
            (name, contact, now, structure_id),
        )
        return await self.get_structure(structure_id)

    async def remove_structure(self, structure_id: str) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            conn.execute("DELETE FROM structures_areas WHERE structure_id = ?", (structure_id,))
            conn.execute("DELETE FROM structures_members WHERE structure_id = ?", (structure_id,))
            return conn.execute("DELETE FROM structures WHERE id = ?", (structure_id,)).rowcount > 0

        return await self._in_writer(transaction, work)

    async def assign_areas(
        self, structure_id: str, kind: AreaKind, codes: Iterable[str], now: float
    ) -> Structure | None:
        rows = [(kind, code, structure_id) for code in codes]

        def work(conn: sqlite3.Connection) -> bool:
            if not _touch(conn, structure_id, now):
                return False
            owners = conn.execute(
                "SELECT DISTINCT structure_id FROM structures_areas WHERE kind = ? AND code IN "
                f"({','.join('?' * len(rows))})",
                (kind, *(r[1] for r in rows)),
            ).fetchall()
            for (owner,) in owners:  # the structures they leave are edited too
                _touch(conn, owner, now)
            conn.executemany(_ASSIGN, rows)
            return True

        return await self._areas_changed(structure_id, work)

    async def release_areas(
        self, structure_id: str, kind: AreaKind, codes: Iterable[str], now: float
    ) -> Structure | None:
        rows = [(structure_id, kind, code) for code in codes]

        def work(conn: sqlite3.Connection) -> bool:
            if not _touch(conn, structure_id, now):
                return False
            conn.executemany(
                "DELETE FROM structures_areas WHERE structure_id = ? AND kind = ? AND code = ?",
                rows,
            )
            return True

        return await self._areas_changed(structure_id, work)

    async def _areas_changed(self, structure_id: str, work: Any) -> Structure | None:
        if not await self._in_writer(transaction, work):
            return None
        return await self.get_structure(structure_id)

    async def set_membership(self, staff_id: int, structure_id: str | None) -> bool:
        if structure_id is None:
            await self._change("DELETE FROM structures_members WHERE staff_id = ?", (staff_id,))
            return True
        changed = await self._change(
            "INSERT INTO structures_members (staff_id, structure_id) "
            "SELECT ?, id FROM structures WHERE id = ? "
            "ON CONFLICT (staff_id) DO UPDATE SET structure_id = excluded.structure_id",
            (staff_id, structure_id),
        )
        return changed > 0

    async def memberships(self) -> dict[int, str]:
        found = await self._read_all("SELECT staff_id, structure_id FROM structures_members")
        return {int(staff_id): sid for staff_id, sid in found}
