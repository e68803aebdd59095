"""What the SQLite search index stores: a short digest of each folded word, never the word.

FTS5 as compiled here has no secure-delete: a deleted row's terms stay in index pages until
their segments merge. Stored as digests, those leftovers hold no name, phone or text.
"""

from __future__ import annotations

import hashlib

from bot.store.roles_search import document_words

_PERSON = b"milomouv-search"


def digest(word: str) -> str:
    """The indexed form of a folded word (the same for a document and a query)."""
    return hashlib.blake2b(word.encode(), digest_size=8, person=_PERSON).hexdigest()


def search_words(text: str | None) -> str:
    """The SQL function `search_words`: a document's words as digests, space separated."""
    return " ".join(digest(w) for w in document_words(text or ""))


def match_expression(terms: list[str]) -> str:
    """An FTS5 query needing every term."""
    return " ".join(f'"{digest(t)}"' for t in terms)
