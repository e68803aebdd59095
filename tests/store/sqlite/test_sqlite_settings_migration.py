"""Canned replies saved before they had ids get one on migration, in their order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store.sqlite import DB_FILENAME, SQLiteStore
from bot.store.sqlite.schema import MIGRATIONS
from bot.store.sqlite.words import search_words

# Found by what it creates: its number changes as other migrations land before it.
SETTINGS_MIGRATION = next(i for i, m in enumerate(MIGRATIONS) if "staff_reset_tokens" in m)


def _file_before_settings(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.create_function("search_words", 1, search_words, deterministic=True)
    for script in MIGRATIONS[:SETTINGS_MIGRATION]:
        conn.executescript(script)
    conn.executescript(
        f"""
        PRAGMA user_version={SETTINGS_MIGRATION};
        INSERT INTO canned_replies (position, title, text) VALUES (0, 'Bonjour', 'Salut !');
        INSERT INTO canned_replies (position, title, text) VALUES (1, 'Merci', 'Merci à toi.');
        """
    )
    conn.commit()
    conn.close()


async def test_earlier_canned_replies_get_ids_and_can_be_moved(tmp_path: Path) -> None:
    _file_before_settings(tmp_path / DB_FILENAME)
    store = SQLiteStore(tmp_path)
    await store.open()
    try:
        items = await store.canned_items()
        assert [(i.title, i.position) for i in items] == [("Bonjour", 0), ("Merci", 1)]
        assert len({i.id for i in items}) == 2 and all(i.id for i in items)
        moved = await store.move_canned(items[1].id, 0)
        assert moved is not None and moved.position == 0
        assert [r.title for r in await store.canned_replies()] == ["Merci", "Bonjour"]
    finally:
        await store.close()
