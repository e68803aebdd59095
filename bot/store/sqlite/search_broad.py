"""Broad words on SQLite: walk the tickets in the page's order and test them chunk by chunk.

A word found in thousands of documents (a commune, a common need) makes the match list too long
to map to conversations whole before the newest page is picked. Then the ticket list drives:
its indexes give the tickets in the page's order with every filter applied, a chunk at a time;
the chunk's documents are listed by rowid (rowid = source id * 4 + kind, see the search
migration) and kept when the words match them, read from the FTS5 index as rowids only, within
each kind's rowid span. The walk stops as soon as the page is full.
"""

from __future__ import annotations

import json
from typing import Any

from bot.store.sqlite.db import SQLiteDatabase

# Matching documents from which the ticket list drives: below it, mapping the match list to
# conversations whole costs a few milliseconds.
BROAD = 3000
# The queue's own lists (waiting, open, mine) hold a few thousand tickets spread over the year:
# a walk tests most of them, so reading the match list stays cheaper up to many more matches.
BROAD_SHORT_LISTS = 60_000
FIRST_CHUNK = 400  # tickets tested at once; each further chunk is four times larger

# The chunk's conversations whose documents hold every word: a ticket card, a youth or
# counsellor line (other lines have no row in the index), or a staff note on one of its tickets.
_MATCHED = """
WITH chunk(id) AS (SELECT value FROM json_each(?1)),
cards(conv, doc) AS (
    SELECT conversation_id, rowid * 4 + 2 FROM tickets WHERE conversation_id IN chunk),
lines(conv, doc) AS (
    SELECT conversation_id, id * 4 FROM messages WHERE conversation_id IN chunk),
notes(conv, doc) AS (
    SELECT t.conversation_id, n.id * 4 + 1 FROM tickets t JOIN ticket_notes n ON n.ticket_id = t.id
    WHERE t.conversation_id IN chunk)
SELECT conv FROM cards WHERE doc IN (SELECT rowid FROM search_index WHERE search_index MATCH ?2
    AND rowid BETWEEN (SELECT MIN(doc) FROM cards) AND (SELECT MAX(doc) FROM cards))
UNION SELECT conv FROM lines WHERE doc IN (SELECT rowid FROM search_index WHERE search_index MATCH ?2
    AND rowid BETWEEN (SELECT MIN(doc) FROM lines) AND (SELECT MAX(doc) FROM lines))
UNION SELECT conv FROM notes WHERE doc IN (SELECT rowid FROM search_index WHERE search_index MATCH ?2
    AND rowid BETWEEN (SELECT MIN(doc) FROM notes) AND (SELECT MAX(doc) FROM notes))
"""


async def is_broad(db: SQLiteDatabase, expression: str, broad: int) -> bool:
    """Whether the words match at least `broad` documents (counted on rowids alone: cheap)."""
    row = await db._read_one(
        "SELECT COUNT(*) FROM (SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?)",
        (expression, broad),
    )
    return row is not None and row[0] >= broad


async def walk(
    db: SQLiteDatabase,
    select: str,
    params: list[Any],
    limit: int,
    expression: str,
    first_chunk: int = FIRST_CHUNK,
) -> list[tuple[Any, ...]]:
    """The first `limit` rows of `select` (ordered, filtered; conversation id second) whose
    conversation holds the words."""
    found: list[tuple[Any, ...]] = []
    seen: set[str] = set()
    offset, size = 0, first_chunk
    while len(found) < limit:
        chunk = await db._read_all(f"{select} LIMIT ? OFFSET ?", (*params, size, offset))
        if not chunk:
            break
        conversations = json.dumps(sorted({r[1] for r in chunk}))
        matched = {r[0] for r in await db._read_all(_MATCHED, (conversations, expression))}
        # Chunks are separate reads: a ticket opened meanwhile shifts the offsets by one row.
        found.extend(r for r in chunk if r[1] in matched and r[0] not in seen)
        seen.update(r[0] for r in chunk)
        if len(chunk) < size:
            break
        offset, size = offset + size, size * 4
    return found[:limit]
