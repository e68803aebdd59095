"""The SQLite search index: filled from an older file's rows, and holding no word in clear."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store.base import TicketQuery
from bot.store.sqlite import DB_FILENAME, SQLiteStore
from bot.store.sqlite.schema import MIGRATIONS
from bot.store.sqlite.words import search_words


def _schema_3_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.create_function("search_words", 1, search_words)
    for script in MIGRATIONS[:3]:
        conn.executescript(script)
    conn.executescript(
        """
        PRAGMA user_version=3;
        INSERT INTO conversations (id, channel, user_id, created_at, updated_at)
            VALUES ('c1', 'web', 'u1', 1, 1), ('c2', 'web', 'u2', 1, 1);
        INSERT INTO tickets (id, conversation_id, reason, snapshot, channel, created_at)
            VALUES ('t1', 'c1', 'intake_done', '{"first_name": "Maëlys"}', 'web', 2),
                   ('t2', 'c2', 'intake_done', '{"first_name": "Yanis"}', 'web', 3);
        INSERT INTO messages (conversation_id, direction, author, text, created_at)
            VALUES ('c1', 'in', 'youth', 'je suis à Stenay', 2),
                   ('c2', 'out', 'bot', 'Stenay ou Verdun ?', 2);
        INSERT INTO ticket_notes (ticket_id, staff_id, text, created_at)
            VALUES ('t2', 1, 'permis en cours', 3);
        """
    )
    conn.commit()
    conn.close()


async def test_a_schema_3_file_gets_its_rows_indexed(tmp_path: Path) -> None:
    _schema_3_file(tmp_path / DB_FILENAME)
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        for words, expected in (("maelys", ["t1"]), ("stenay", ["t1"]), ("permis", ["t2"])):
            found = await store.find_tickets(TicketQuery(words))
            assert [q.ticket.id for q in found] == expected, words
    finally:
        await store.close()


async def test_the_index_stores_digests_not_words(tmp_path: Path) -> None:
    _schema_3_file(tmp_path / DB_FILENAME)
    store = SQLiteStore(tmp_path)
    await store.open()
    await store.close()
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    try:
        bodies = " ".join(r[0] for r in conn.execute("SELECT body FROM search_index"))
    finally:
        conn.close()
    assert bodies and "stenay" not in bodies.casefold() and "permis" not in bodies
