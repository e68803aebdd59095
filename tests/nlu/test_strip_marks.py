"""strip_marks's table of combining marks gives the per-character definition's result."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.normalise import _EXTRA_FOLD, strip_marks


def reference(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).casefold().translate(_EXTRA_FOLD)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@given(st.text(max_size=60))
def test_any_text(text: str) -> None:
    assert strip_marks(text) == reference(text)


def test_french_and_rare_characters() -> None:
    for text in (
        "Zoé à Bar-le-Duc",
        "ŒUVRE ﬁn Ⅻ İ",
        "j’ai 19 ans 😊",
        "a\U0001d167b",
        "e\u0301\u0301",
    ):
        assert strip_marks(text) == reference(text), text
    assert strip_marks("Élodie Ñandú") == "elodie nandu"
