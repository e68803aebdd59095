"""The write helpers run inline in the writer's thread: statements work, suspension is refused."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.store.sqlite.inline import InlineConnection, run_inline


async def _count_after_insert(db: InlineConnection) -> tuple[int, int | None]:
    cur = await db.execute("INSERT INTO t (v) VALUES (?)", ("a",))
    inserted = cur.lastrowid
    await cur.close()
    async with db.execute("SELECT COUNT(*) FROM t") as cur:
        row = await cur.fetchone()
    return row[0], inserted


def test_a_coroutine_of_statements_runs_to_its_result_in_one_call() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    assert run_inline(_count_after_insert(InlineConnection(conn))) == (1, 1)
    assert run_inline(_count_after_insert(InlineConnection(conn))) == (2, 2)


def test_a_coroutine_that_waits_is_refused_not_half_run() -> None:
    async def waits() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="waited"):
        run_inline(waits())


def test_statement_errors_come_out_as_they_are() -> None:
    conn = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError):
        run_inline(_count_after_insert(InlineConnection(conn)))
