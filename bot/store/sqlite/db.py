"""The SQLite file itself: connections, WAL, migrations, the write lock and the folder lock."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.store.errors import StoreUnavailable
from bot.store.sqlite.lock import FolderLock
from bot.store.sqlite.schema import MIGRATIONS
from bot.store.sqlite.words import search_words
from bot.store.sqlite.writer_lock import WriterLock

DB_FILENAME = "milomouv.sqlite3"
T = TypeVar("T")
JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024  # the WAL shrinks back to this after a checkpoint


class SQLiteDatabase:
    """A writer connection behind an asyncio lock, a reader beside it; errors → StoreUnavailable.

    With `exclusive` (the service), the folder lock proves no other process uses the file, so
    the leases found at open belong to a dead process and are voided.
    """

    def __init__(
        self,
        data_dir: Path,
        filename: str = DB_FILENAME,
        *,
        exclusive: bool = True,
        busy_timeout_ms: int = 3000,
    ) -> None:
        self.path = Path(data_dir) / filename
        self.location = f"sqlite:{self.path.resolve()}"
        self._busy_timeout_ms = busy_timeout_ms
        self._folder_lock = (
            FolderLock(self.path.with_name(filename + ".lock")) if exclusive else None
        )
        self._w: aiosqlite.Connection | None = None
        self._r: aiosqlite.Connection | None = None
        self._lock = WriterLock()

    # --- life --------------------------------------------------------------
    async def open(self) -> None:
        try:
            await asyncio.to_thread(self._private_files)
            if self._folder_lock is not None:
                await asyncio.to_thread(self._folder_lock.acquire)
            self._w = await self._connect()
            await self._w.execute("PRAGMA journal_mode=WAL")
            await self._migrate(self._w)
            if self._folder_lock is not None:
                await self._void_leases(self._w)
            self._r = await self._connect()
        except StoreUnavailable:
            await self.close()
            raise
        except (sqlite3.Error, OSError) as exc:
            await self.close()
            raise StoreUnavailable(
                f"cannot open the SQLite store at {self.path} ({type(exc).__name__}: {exc}); "
                "check MILOMOUV_DATA_DIR, its permissions and the file"
            ) from exc

    def _private_files(self) -> None:
        """The folder for the service's user only, the file too (WAL and SHM copy its mode)."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.chmod(self.path.parent, 0o700)
        except PermissionError:
            pass  # a folder owned by someone else (an operator's choice): left as it is
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(self.path, 0o600)

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            await conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
            # NORMAL in WAL: a commit survives a process crash; only `_tx(durable=True)` (the
            # inbox, acknowledged to the platforms) also waits for the disk, against power loss.
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            # Erased data must not linger in free pages, nor in a WAL that only grows.
            await conn.execute("PRAGMA secure_delete=ON")
            await conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
            # The search index's triggers store words through it (see words.py).
            await conn.create_function("search_words", 1, search_words, deterministic=True)
            async with conn.execute("PRAGMA quick_check(1)") as cur:
                row = await cur.fetchone()
            if not row or row[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
        except BaseException:
            await conn.close()  # its worker thread would keep the process alive
            raise
        return conn

    async def _migrate(self, conn: aiosqlite.Connection) -> None:
        async with conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = int(row[0]) if row else 0
        if current > len(MIGRATIONS):
            raise sqlite3.DatabaseError(
                f"the file has schema version {current}, newer than this code ({len(MIGRATIONS)})"
            )
        for version in range(current, len(MIGRATIONS)):
            await conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(MIGRATIONS[version]):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version={version + 1}")
                await conn.execute("COMMIT")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise

    @staticmethod
    async def _void_leases(conn: aiosqlite.Connection) -> None:
        """Leases left by an earlier process (we hold the folder lock): expired now."""
        await conn.execute("BEGIN IMMEDIATE")
        await conn.execute("UPDATE outbox SET lease_until = 0 WHERE status = 'sending'")
        await conn.execute(
            "UPDATE conversations SET lease_owner = NULL, lease_until = NULL "
            "WHERE lease_owner IS NOT NULL"
        )
        await conn.execute("DELETE FROM leases")
        await conn.execute("COMMIT")

    async def close(self) -> None:
        for conn in (self._r, self._w):
            if conn is not None:
                try:
                    await conn.close()
                except (sqlite3.Error, ValueError):
                    pass
        self._r = self._w = None
        if self._folder_lock is not None:
            self._folder_lock.release()

    async def ping(self) -> bool:
        try:
            await self._read_one("SELECT 1")
            return True
        except StoreUnavailable:
            return False

    async def _after_erase(self) -> None:
        """After an erasure: copy the WAL into the file and empty it, so no old page remains."""
        if self._w is None:
            return
        async with self._lock:
            try:
                # Read to the end: a statement left in progress would block the next COMMIT.
                async with self._w.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cur:
                    await cur.fetchall()
            except (sqlite3.Error, ValueError):
                pass  # busy or closing: the next checkpoint does it, secure_delete already did

    # --- plumbing ----------------------------------------------------------
    @asynccontextmanager
    async def _tx(self, durable: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """One serialised write transaction; sqlite errors become StoreUnavailable."""
        if self._w is None:
            raise StoreUnavailable("the store is not open")
        async with self._lock:
            conn = self._w
            try:
                if durable:
                    await conn.execute("PRAGMA synchronous=FULL")
                await conn.execute("BEGIN IMMEDIATE")
            except (sqlite3.Error, ValueError) as exc:  # aiosqlite: ValueError once closed
                raise StoreUnavailable(f"store write failed ({type(exc).__name__})") from exc
            try:
                yield conn
                await conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    await conn.execute("ROLLBACK")
                except (sqlite3.Error, ValueError):
                    pass
                if _is_store_error(exc):
                    raise StoreUnavailable(f"store write failed ({type(exc).__name__})") from exc
                raise
            finally:
                if durable:
                    try:
                        await conn.execute("PRAGMA synchronous=NORMAL")
                    except (sqlite3.Error, ValueError):
                        pass

    async def _in_writer(self, fn: Callable[..., T], *args: Any, urgent: bool = False) -> T:
        """Run `fn(connection, *args)` in the writer's thread: a whole transaction, one hop.

        `fn` opens and ends its own transaction; every statement in between runs without
        handing back to the event loop, which is what a transaction's time is otherwise made of.
        `urgent` (the inbox) goes before the other waiting writes.
        """
        if self._w is None:
            raise StoreUnavailable("the store is not open")
        async with self._lock.hold(urgent=urgent):
            conn = self._w
            try:
                # aiosqlite runs a callable in the connection's own thread (its only one).
                return await conn._execute(fn, conn._conn, *args)
            except Exception as exc:
                if _is_store_error(exc):
                    raise StoreUnavailable(f"store write failed ({type(exc).__name__})") from exc
                raise

    async def _read_all(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        if self._r is None:
            raise StoreUnavailable("the store is not open")
        try:
            # One call in the connection's thread: an open cursor shared between coroutines would
            # keep the connection's read snapshot alive, and later reads would see stale data.
            rows = await self._r.execute_fetchall(sql, tuple(params))
            return [tuple(r) for r in rows]
        except Exception as exc:
            if _is_store_error(exc):
                raise StoreUnavailable(f"store read failed ({type(exc).__name__})") from exc
            raise

    async def _read_one(self, sql: str, params: Iterable[Any] = ()) -> tuple[Any, ...] | None:
        rows = await self._read_all(sql, params)
        return rows[0] if rows else None

    async def _write_rows(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """One statement with RETURNING in its own write transaction: the rows it returned."""
        return await self._in_writer(transaction, lambda c: c.execute(sql, params).fetchall())

    async def _write_each(self, *statements: tuple[str, tuple[Any, ...]]) -> None:
        """Several statements in one write transaction, in one hop to the writer's thread."""

        def work(conn: sqlite3.Connection) -> None:
            for sql, params in statements:
                conn.execute(sql, params)

        await self._in_writer(transaction, work)

    async def _change(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> int:
        """One statement in its own write transaction; returns the rows it changed."""
        bound = params if isinstance(params, dict) else tuple(params)
        return await self._in_writer(transaction, lambda c: c.execute(sql, bound).rowcount)


def transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """`work` in one write transaction, run in the writer's thread (see `_in_writer`)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return result


def _is_store_error(exc: BaseException) -> bool:
    """sqlite errors, and aiosqlite's ValueError once its connection is closed."""
    return isinstance(exc, sqlite3.Error) or (
        isinstance(exc, ValueError) and "connection" in str(exc).lower()
    )


def _split_sql(script: str) -> list[str]:
    """Statements of a script; a trigger's body keeps its inner semicolons."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip()[:-1].strip())
            pending = ""
    return statements
