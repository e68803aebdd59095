"""A file from before the figures migration: its conversations counted per day, its waits read."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.store.sqlite import DB_FILENAME, SQLiteStore
from bot.store.sqlite.schema import MIGRATIONS
from bot.store.sqlite.words import search_words

# Found by what it creates: its number changes as other migrations land before it.
FIGURES_MIGRATION = next(i for i, m in enumerate(MIGRATIONS) if "conversation_days" in m)
DAY = 86400.0
STENAY = {"commune": "Stenay", "territory": "CC du Pays de Stenay", "need": "job", "age": 19}


def _file_before_figures(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.create_function("search_words", 1, search_words, deterministic=True)
    for script in MIGRATIONS[:FIGURES_MIGRATION]:
        conn.executescript(script)
    rows = [
        ("a", json.dumps(STENAY), "bq7k2m", 1.0, 10 * DAY + 100),
        ("b", json.dumps(STENAY), "bq7k2m", 1.0, 11 * DAY + 100),
        ("c", json.dumps(STENAY), None, None, 11 * DAY + 200),
        ("d", "{}", None, None, 12 * DAY + 300),
    ]
    conn.executemany(
        "INSERT INTO conversations (id, channel, user_id, mode, state, profile, source, "
        "consent_at, created_at, updated_at) VALUES (?, 'web', ?1, 'bot', 'done', ?, ?, ?, ?, ?5)",
        rows,
    )
    conn.execute(
        "INSERT INTO tickets (id, conversation_id, status, priority, reason, snapshot, channel, "
        "created_at, claimed_at, queued_at) VALUES ('t1', 'a', 'assigned', 'normal', "
        "'intake_done', '{}', 'web', ?, ?, ?1)",
        (10 * DAY + 200, 10 * DAY + 800),
    )
    conn.execute(f"PRAGMA user_version={FIGURES_MIGRATION}")
    conn.commit()
    conn.close()


async def test_existing_conversations_are_counted_and_waits_wait_for_a_reading(
    tmp_path: Path,
) -> None:
    _file_before_figures(tmp_path / DB_FILENAME)
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        days = await store._read_all(
            "SELECT day, commune, source, consented, count FROM conversation_days ORDER BY 1, 3"
        )
        assert days == [
            (10, "Stenay", "bq7k2m", 1, 1),
            (11, "Stenay", "", 0, 1),
            (11, "Stenay", "bq7k2m", 1, 1),
            (12, "", "", 0, 1),
        ]
        groups = await store.conversation_groups(5 * DAY + 3600, 20 * DAY + 3600)
        assert sorted((g.source or "", g.commune or "", g.consented, g.count) for g in groups) == [
            ("", "", False, 1),
            ("", "Stenay", False, 1),
            ("bq7k2m", "Stenay", True, 2),
        ]
        (pending,) = await store.waits_to_store(0.0, 20 * DAY)
        assert (pending.ticket_id, pending.claimed_at) == ("t1", 10 * DAY + 800)
    finally:
        await store.close()
