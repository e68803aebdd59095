"""The store's async write helpers run whole in the writer's thread, without one hop each.

The helpers in `writes` and `conversations` are written against aiosqlite's interface (each
statement an `await`). Given this connection instead, none of their awaits ever suspends, so
`run_inline` drives such a coroutine to its end in one go: a transaction of ten statements costs
one hand-over between the event loop and SQLite's thread instead of ten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Coroutine, Generator
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


class InlineCursor:
    """aiosqlite's cursor calls, answered at once from a plain sqlite3 cursor."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class _Executed:
    """What `execute` returns: awaited, or used as `async with`, like aiosqlite's."""

    def __init__(self, cursor: InlineCursor) -> None:
        self._cursor = cursor

    def __await__(self) -> Generator[Any, None, InlineCursor]:
        return self._ready().__await__()

    async def _ready(self) -> InlineCursor:
        return self._cursor

    async def __aenter__(self) -> InlineCursor:
        return self._cursor

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._cursor.close()


class InlineConnection:
    """A sqlite3 connection with aiosqlite's `execute`; only for use in its own thread."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Any = ()) -> _Executed:
        return _Executed(InlineCursor(self._conn.execute(sql, params)))


def run_inline(coro: Coroutine[Any, Any, T]) -> T:
    """Drive a coroutine that never suspends (one over an InlineConnection) to its result."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("a store coroutine waited for something while run inline")
