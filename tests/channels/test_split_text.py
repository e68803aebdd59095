"""Long replies are split within each platform's limit, losing no word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.base import split_text

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.one_of(words, st.sampled_from([". ", "! ", "\n", "\n• ", "…"])), max_size=200)
    .map("".join)
    .filter(lambda t: t.strip()),
    limit=st.integers(20, 4096),
    in_bytes=st.booleans(),
)
def test_parts_fit_and_keep_every_character(text: str, limit: int, in_bytes: bool) -> None:
    measure = (lambda s: len(s.encode())) if in_bytes else len
    parts = split_text(text, limit, measure)
    assert all(0 < measure(p) <= limit for p in parts)
    assert "".join("".join(p.split()) for p in parts) == "".join(text.split())


def test_sentences_and_lines_are_kept() -> None:
    text = "Première phrase. Deuxième phrase !\n• une puce\n• une autre"
    assert split_text(text, 40) == ["Première phrase. Deuxième phrase !", "• une puce\n• une autre"]
