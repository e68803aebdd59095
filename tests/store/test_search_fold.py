"""The search's word folding: its ASCII shortcut gives the general definition's result."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.store.roles_search import document_words, fold


def reference(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(st.text(max_size=40) | st.text(st.characters(max_codepoint=127), max_size=40))
def test_fold_any_text(text: str) -> None:
    assert fold(text) == reference(text)


def test_document_words() -> None:
    assert document_words("Zoé ZOE zoe, à Bar-le-Duc_ 06") == ["zoe", "a", "bar", "le", "duc", "06"]
