"""Broad words on SQLite: walk the tickets in the page's order and test each one's documents.

A word found in thousands of documents (a commune, a common need) makes the match list too long
to read whole before the newest page is picked. Then the ticket list drives instead: its indexes
give the tickets in the page's order with the filters applied, and each candidate's conversation
is tested by FTS5 lookups on the rowids of its own documents (rowid = source id * 4 + kind,
see the search migration), so the walk stops as soon as the page is full.
"""

from __future__ import annotations

from bot.store.sqlite.db import SQLiteDatabase

# Matching documents from which the ticket list drives: below it, reading the match list whole
# costs a few milliseconds; above it, a walk meets a match every few tickets.
BROAD = 3000

# Every document of the candidate's conversation whose words all match: a ticket card of the
# conversation, a youth or counsellor line, or a staff note on one of its tickets. Each join is
# an FTS5 lookup by rowid, not a read of the match list.
HAS_WORDS = """(
    EXISTS (SELECT 1 FROM tickets card JOIN search_index s ON s.rowid = card.rowid * 4 + 2
        WHERE card.conversation_id = tickets.conversation_id AND s.search_index MATCH ?)
    OR EXISTS (SELECT 1 FROM messages m JOIN search_index s ON s.rowid = m.id * 4
        WHERE m.conversation_id = tickets.conversation_id AND s.search_index MATCH ?)
    OR EXISTS (SELECT 1 FROM tickets noted JOIN ticket_notes n ON n.ticket_id = noted.id
        JOIN search_index s ON s.rowid = n.id * 4 + 1
        WHERE noted.conversation_id = tickets.conversation_id AND s.search_index MATCH ?)
)"""
MATCHES = "conversation_id IN (SELECT conversation_id FROM search_index WHERE search_index MATCH ?)"


async def is_broad(db: SQLiteDatabase, expression: str, broad: int) -> bool:
    """Whether the words match at least `broad` documents (counted on rowids alone: cheap)."""
    row = await db._read_one(
        "SELECT COUNT(*) FROM (SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?)",
        (expression, broad),
    )
    return row is not None and row[0] >= broad


async def words_clause(
    db: SQLiteDatabase, expression: str, broad: int = BROAD
) -> tuple[str, list[str]]:
    """The SQL testing a ticket's conversation for the words, and its parameters."""
    if await is_broad(db, expression, broad):
        return HAS_WORDS, [expression] * 3
    return MATCHES, [expression]
